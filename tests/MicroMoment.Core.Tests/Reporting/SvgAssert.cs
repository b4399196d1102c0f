using System.Xml.Linq;

namespace MicroMoment.Tests.Reporting;

/// <summary>Parses chart output and answers questions about its elements.</summary>
internal static class SvgAssert
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static XElement Parse(string svg)
    {
        var root = XDocument.Parse(svg).Root;
        Assert.NotNull(root);
        Assert.Equal(Svg + "svg", root.Name);
        return root;
    }

    public static List<XElement> Elements(XElement root, string name) => root.Descendants(Svg + name).ToList();

    public static List<XElement> WithClass(XElement root, string name, string cssClass) =>
        Elements(root, name).Where(e => (string?)e.Attribute("class") == cssClass).ToList();

    public static List<string> Texts(XElement root) => Elements(root, "text").Select(t => t.Value).ToList();
}
