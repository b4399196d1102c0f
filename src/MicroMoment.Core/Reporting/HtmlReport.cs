using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace MicroMoment.Reporting;

/// <summary>
/// Builds one self-contained HTML page: inline CSS, inline SVG figures, no scripts, fonts, images or stylesheets
/// from anywhere else, so the file opens offline and can be archived as is. Content is added in order; a
/// table of contents lists the sections. All text is HTML-escaped.
/// </summary>
public sealed class HtmlReport
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;max-width:1000px;margin:2rem auto;padding:0 1.25rem;line-height:1.5}
        h1{font-size:1.8rem;margin-bottom:.25rem}h2{font-size:1.35rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1.1rem;margin-top:1.5rem}
        nav.toc{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:6px;padding:.6rem 1.2rem;margin:1rem 0 1.5rem}nav.toc ol{margin:.3rem 0;padding-left:1.3rem}
        a{color:#0b5fa5}table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}caption{caption-side:top;text-align:left;font-weight:600;padding-bottom:.3rem}
        th,td{border:1px solid #d0d7de;padding:.3rem .6rem;vertical-align:top}th{background:#f6f8fa;text-align:left}td{text-align:right;font-variant-numeric:tabular-nums}td:first-child{text-align:left}
        figure{margin:1.2rem 0}figure svg{max-width:100%;height:auto;display:block}figcaption{font-size:.9rem;color:#555;margin-top:.3rem}
        .table-wrap{overflow-x:auto}
        pre{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:6px;padding:.6rem .8rem;overflow-x:auto;font-size:.85rem}
        @media print{nav.toc{display:none}h2{page-break-after:avoid}figure{page-break-inside:avoid}}
        """;

    private readonly List<string> _body = [];
    private readonly List<(string Id, string Heading, List<(string Id, string Heading)> Subsections)> _sections = [];

    /// <summary>Starts a report with the given page title (also the top heading).</summary>
    public HtmlReport(string title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ArgumentException("The report needs a non-empty title.", nameof(title));
        }

        Title = title;
    }

    /// <summary>The page title.</summary>
    public string Title { get; }

    /// <summary>Starts a new top-level section (listed in the table of contents).</summary>
    public HtmlReport Section(string heading)
    {
        string id = "s" + (_sections.Count + 1).ToString(CultureInfo.InvariantCulture);
        _sections.Add((id, heading ?? "", []));
        _body.Add($"<h2 id=\"{id}\">{XmlText.Escape(heading)}</h2>");
        return this;
    }

    /// <summary>Starts a subsection of the current section (listed under it in the table of contents).</summary>
    /// <exception cref="InvalidOperationException">No section has been started.</exception>
    public HtmlReport Subsection(string heading)
    {
        if (_sections.Count == 0)
        {
            throw new InvalidOperationException("A subsection needs an enclosing section; call Section first.");
        }

        var subsections = _sections[^1].Subsections;
        string id = _sections[^1].Id + "-" + (subsections.Count + 1).ToString(CultureInfo.InvariantCulture);
        subsections.Add((id, heading ?? ""));
        _body.Add($"<h3 id=\"{id}\">{XmlText.Escape(heading)}</h3>");
        return this;
    }

    /// <summary>A paragraph of plain text (escaped; blank lines start new paragraphs).</summary>
    public HtmlReport Paragraph(string text)
    {
        foreach (var part in (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n"))
        {
            if (!string.IsNullOrWhiteSpace(part))
            {
                _body.Add($"<p>{XmlText.Escape(part.Trim())}</p>");
            }
        }

        return this;
    }

    /// <summary>A preformatted block (configuration, command lines), shown in a monospace font.</summary>
    public HtmlReport Preformatted(string text)
    {
        _body.Add($"<pre>{XmlText.Escape(text)}</pre>");
        return this;
    }

    /// <summary>A table with a header row; every row must have as many cells as there are headers.</summary>
    /// <exception cref="ArgumentException">A row has the wrong number of cells.</exception>
    public HtmlReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder("<div class=\"table-wrap\"><table>");
        if (!string.IsNullOrEmpty(caption))
        {
            sb.Append("<caption>").Append(XmlText.Escape(caption)).Append("</caption>");
        }

        sb.Append("<thead><tr>");
        foreach (var h in headers)
        {
            sb.Append("<th>").Append(XmlText.Escape(h)).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        int r = 0;
        foreach (var row in rows)
        {
            if (row is null || row.Count != headers.Count)
            {
                throw new ArgumentException(
                    $"Table row {r} has {row?.Count ?? 0} cells; expected {headers.Count} (one per header).", nameof(rows));
            }

            sb.Append("<tr>");
            foreach (var cell in row)
            {
                sb.Append("<td>").Append(XmlText.Escape(cell)).Append("</td>");
            }

            sb.Append("</tr>");
            r++;
        }

        _body.Add(sb.Append("</tbody></table></div>").ToString());
        return this;
    }

    /// <summary>
    /// A figure: an inline SVG (e.g. from <see cref="SvgChart"/>) and its caption. The SVG must be well-formed, have an
    /// &lt;svg&gt; root in the SVG namespace, and must not contain scripts, foreign objects or links to other resources.
    /// </summary>
    /// <exception cref="ArgumentException">The SVG is malformed or references something outside the page.</exception>
    public HtmlReport Figure(string svg, string caption)
    {
        _body.Add($"<figure>{ValidateSvg(svg)}<figcaption>{XmlText.Escape(caption)}</figcaption></figure>");
        return this;
    }

    /// <summary>The complete HTML document.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(XmlText.Escape(Title)).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(XmlText.Escape(Title)).Append("</h1>\n");
        if (_sections.Count > 0)
        {
            sb.Append("<nav class=\"toc\"><strong>Contents</strong><ol>");
            foreach (var (id, heading, subsections) in _sections)
            {
                sb.Append("<li><a href=\"#").Append(id).Append("\">").Append(XmlText.Escape(heading)).Append("</a>");
                if (subsections.Count > 0)
                {
                    sb.Append("<ol>");
                    foreach (var (subId, subHeading) in subsections)
                    {
                        sb.Append("<li><a href=\"#").Append(subId).Append("\">").Append(XmlText.Escape(subHeading)).Append("</a></li>");
                    }

                    sb.Append("</ol>");
                }

                sb.Append("</li>");
            }

            sb.Append("</ol></nav>\n");
        }

        foreach (var block in _body)
        {
            sb.Append(block).Append('\n');
        }

        return sb.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>Writes <see cref="Render"/> as UTF-8 (no byte-order mark), creating the folder if needed.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, Render(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static string ValidateSvg(string svg)
    {
        if (string.IsNullOrWhiteSpace(svg))
        {
            throw new ArgumentException("The figure's SVG is empty.", nameof(svg));
        }

        XDocument document;
        try
        {
            document = XDocument.Parse(svg);
        }
        catch (XmlException ex)
        {
            throw new ArgumentException($"The figure's SVG is not well-formed XML: {ex.Message}", nameof(svg), ex);
        }

        XNamespace svgNs = "http://www.w3.org/2000/svg";
        if (document.Root is null || document.Root.Name != svgNs + "svg")
        {
            throw new ArgumentException(
                $"The figure's root element is {document.Root?.Name}; expected <svg xmlns=\"http://www.w3.org/2000/svg\">.", nameof(svg));
        }

        foreach (var element in document.Root.DescendantsAndSelf())
        {
            string local = element.Name.LocalName;
            if (local is "script" or "foreignObject" or "image" or "use" || local.StartsWith("animate", StringComparison.Ordinal))
            {
                throw new ArgumentException($"The figure contains a <{local}> element; inline figures may only draw shapes and text.", nameof(svg));
            }

            foreach (var attribute in element.Attributes())
            {
                if (attribute.IsNamespaceDeclaration)
                {
                    continue;
                }

                string name = attribute.Name.LocalName, value = attribute.Value;
                bool runsCode = name.StartsWith("on", StringComparison.OrdinalIgnoreCase);
                bool linksOut = (name is "href" or "src") && !value.StartsWith('#');
                bool loadsUrl = value.Contains("url(", StringComparison.OrdinalIgnoreCase)
                    && !value.Replace(" ", "", StringComparison.Ordinal).Contains("url(#", StringComparison.OrdinalIgnoreCase);
                if (runsCode || linksOut || loadsUrl)
                {
                    throw new ArgumentException(
                        $"The figure's <{element.Name.LocalName}> has {name}=\"{value}\"; figures must not run code or load other resources.", nameof(svg));
                }
            }
        }

        // Inline without an XML declaration, exactly as parsed (namespace declarations kept).
        return document.Root.ToString(SaveOptions.DisableFormatting);
    }
}
