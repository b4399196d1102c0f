using System.Text.RegularExpressions;
using MicroMoment.Reporting;

namespace MicroMoment.Tests.Reporting;

public class HtmlReportTests
{
    private static HtmlReport Sample()
    {
        var chart = SvgChart.Line([new LineSeries("model", [0.0, 1], [0.0, 1])], new ChartOptions { Title = "ROC" });
        return new HtmlReport("MicroMoment evaluation")
            .Paragraph("Intro with <b>markup</b> & symbols.")
            .Section("Data")
            .Table(["Split", "Sessions"], [["train", "1,000"], ["test", "250"]], caption: "Sessions per split")
            .Section("Results")
            .Subsection("Ranking")
            .Figure(chart, "ROC of the model")
            .Preformatted("micromoment train --epochs 5");
    }

    [Fact]
    public void RenderedReportHasTitleTableOfContentsAndContent()
    {
        string html = Sample().Render();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>MicroMoment evaluation</title>", html);
        Assert.Contains("<a href=\"#s1\">Data</a>", html);
        Assert.Contains("<a href=\"#s2-1\">Ranking</a>", html);
        Assert.Contains("<h2 id=\"s2\">Results</h2>", html);
        Assert.Contains("<caption>Sessions per split</caption>", html);
        Assert.Contains("<td>1,000</td>", html);
        Assert.Contains("<figcaption>ROC of the model</figcaption>", html);
        Assert.Contains("<pre>micromoment train --epochs 5</pre>", html);
        Assert.Single(Regex.Matches(html, "<svg "));
    }

    [Fact]
    public void TextIsEscaped()
    {
        string html = Sample().Render();
        Assert.Contains("Intro with &lt;b&gt;markup&lt;/b&gt; &amp; symbols.", html);
        Assert.DoesNotContain("<b>", html);
    }

    [Fact]
    public void ReportReferencesNoExternalResources()
    {
        string html = Sample().Render();
        string withoutSvgNamespace = html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal);
        Assert.DoesNotContain("http://", withoutSvgNamespace);
        Assert.DoesNotContain("https://", withoutSvgNamespace);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("src=", html);
    }

    [Fact]
    public void EmbeddedFiguresStillParseAsSvg()
    {
        string html = Sample().Render();
        int start = html.IndexOf("<svg ", StringComparison.Ordinal);
        int end = html.IndexOf("</svg>", StringComparison.Ordinal) + "</svg>".Length;
        var root = SvgAssert.Parse(html[start..end]);
        Assert.Single(SvgAssert.Elements(root, "path"));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "<script>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"https://example.org/x.png\"/></svg>", "<image>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"https://example.org\"><text>x</text></a></svg>", "href")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect onclick=\"x()\"/></svg>", "onclick")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect style=\"fill:url(https://example.org/p)\"/></svg>", "style")]
    [InlineData("<svg><rect/></svg>", "expected <svg xmlns")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>", "not well-formed")]
    public void FiguresThatRunCodeOrLoadResourcesAreRejected(string svg, string reason)
    {
        var ex = Assert.Throws<ArgumentException>(() => new HtmlReport("t").Figure(svg, "bad"));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void TableRowWithWrongCellCountIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new HtmlReport("t").Table(["a", "b"], [["1"]]));
        Assert.Contains("expected 2", ex.Message);
    }

    [Fact]
    public void SubsectionWithoutSectionIsRejected()
    {
        Assert.Throws<InvalidOperationException>(() => new HtmlReport("t").Subsection("orphan"));
    }

    [Fact]
    public void SaveWritesTheRenderedReportCreatingTheFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mm-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(folder, "nested", "report.html");
            var report = Sample();
            report.Save(path);
            Assert.Equal(report.Render(), File.ReadAllText(path));
            Assert.NotEqual(0xEF, File.ReadAllBytes(path)[0]); // no byte-order mark
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
