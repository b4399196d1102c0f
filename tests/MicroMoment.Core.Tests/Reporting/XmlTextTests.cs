using MicroMoment.Reporting;

namespace MicroMoment.Tests.Reporting;

public class XmlTextTests
{
    [Fact]
    public void MarkupCharactersAreEscaped()
    {
        Assert.Equal("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", XmlText.Escape("a <b> & \"c\" 'd'"));
    }

    [Fact]
    public void CharactersXmlCannotHoldAreDropped()
    {
        Assert.Equal("ab\tc", XmlText.Escape("a\u0001b\tc\uFFFF"));
        Assert.Equal("x", XmlText.Escape("x\uD800"));
    }

    [Fact]
    public void SurrogatePairsAndPlainTextAreKept()
    {
        Assert.Equal("cart 🛒 é", XmlText.Escape("cart 🛒 é"));
        Assert.Equal("", XmlText.Escape(null));
    }
}
