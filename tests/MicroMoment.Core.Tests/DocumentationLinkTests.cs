using System.Text.RegularExpressions;

namespace MicroMoment.Tests;

/// <summary>
/// The repository's documentation stands alone: no link or mention points outside it (such as the ../shared folder of
/// a development machine, which a clone does not have), every relative link names a file or folder the repository
/// has, and every #anchor names a heading of its target.
/// </summary>
public sealed partial class DocumentationLinkTests
{
    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s*\[[^\]]+\]:\s*(?<target>\S+)", RegexOptions.Multiline)]
    private static partial Regex ReferenceLink();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(```|~~~).*?^\1", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    /// <summary>README.md, docs/**/*.md and every other Markdown file of the repository (build output excluded), relative to its root.</summary>
    private static List<string> DocumentPaths()
    {
        string root = TestData.RepositoryRoot;
        return [.. Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(part => part is "artifacts" or "bin" or "obj" or "node_modules" || part.StartsWith('.')))
            .Order(StringComparer.Ordinal)];
    }

    public static TheoryData<string> Documents() => new(DocumentPaths());

    [Fact]
    public void TheReadmeAndTheDocsFolderAreScanned()
    {
        var documents = DocumentPaths();
        Assert.Contains("README.md", documents);
        Assert.Contains("docs/architecture.md", documents);
        Assert.Contains("docs/paper.md", documents);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void DocumentNeitherLinksNorPointsOutsideTheRepository(string document)
    {
        string root = TestData.RepositoryRoot;
        string text = File.ReadAllText(Path.Combine(root, document));
        var problems = new List<string>();

        foreach (string mention in new[] { "../shared", "..\\shared" })
        {
            for (int at = text.IndexOf(mention, StringComparison.Ordinal); at >= 0; at = text.IndexOf(mention, at + 1, StringComparison.Ordinal))
                problems.Add($"line {LineOf(text, at)} mentions '{mention}', a folder a clone of the repository does not have");
        }

        string prose = FencedCode().Replace(text, match => new string('\n', match.Value.Count(c => c == '\n')));
        var targets = InlineLink().Matches(prose).Select(m => (m.Groups["target"].Value, m.Index))
            .Concat(ReferenceLink().Matches(prose).Select(m => (m.Groups["target"].Value, m.Index)));
        foreach (var (target, index) in targets)
        {
            if (Problem(root, document, target) is { } problem) problems.Add($"line {LineOf(prose, index)}: {problem}");
        }

        Assert.True(problems.Count == 0, $"{document}:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void BrokenLinksAreFound()
    {
        string root = TestData.RepositoryRoot;
        Assert.NotNull(Problem(root, "README.md", "../shared/docs/ARCHITECTURE.md"));
        Assert.NotNull(Problem(root, "README.md", "docs/no-such-page.md"));
        Assert.NotNull(Problem(root, "README.md", "docs/triggers.md#no-such-heading"));
        Assert.NotNull(Problem(root, "docs/paper.md", "../../outside.md"));
        Assert.Null(Problem(root, "README.md", "docs/triggers.md#offline-policy-simulation-micromoment-simulate-policy"));
        Assert.Null(Problem(root, "docs/architecture.md", "../src/MicroMoment.Silo/README.md"));
        Assert.Null(Problem(root, "README.md", "https://rees46.com"));
    }

    /// <summary>What is wrong with a link to <paramref name="target"/> from <paramref name="document"/>, or null.</summary>
    private static string? Problem(string root, string document, string target)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" or "mailto") return null;
        if (target.StartsWith('<')) target = target.Trim('<', '>');
        string path = target, anchor = string.Empty;
        int hash = target.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            path = target[..hash];
            anchor = target[(hash + 1)..];
        }

        path = Uri.UnescapeDataString(path.Split('?')[0]);
        string file = path.Length == 0 ? Path.Combine(root, document) : Path.GetFullPath(Path.Combine(root, Path.GetDirectoryName(document) ?? string.Empty, path));
        string fullRoot = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
        if (!file.StartsWith(fullRoot, StringComparison.Ordinal) && file != Path.GetFullPath(root))
            return $"'{target}' points outside the repository";
        if (!File.Exists(file) && !Directory.Exists(file)) return $"'{target}' names a file the repository does not have";
        if (anchor.Length > 0 && file.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !Anchors(File.ReadAllText(file)).Contains(anchor))
            return $"'{target}': {Path.GetFileName(file)} has no heading with the anchor #{anchor}";
        return null;
    }

    /// <summary>The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(FencedCode().Replace(markdown, string.Empty)))
        {
            string slug = new string(heading.Groups["title"].Value.ToLowerInvariant()
                .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');
            int n = seen.GetValueOrDefault(slug);
            seen[slug] = n + 1;
            anchors.Add(n == 0 ? slug : $"{slug}-{n}");
        }

        return anchors;
    }

    private static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');
}
