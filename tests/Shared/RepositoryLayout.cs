namespace MicroMoment.Testing;

/// <summary>
/// Where the repository and the shared real data sets are, for tests and benchmarks (compiled into each of them): walks
/// up from the binaries (then from the working directory) to the folder holding MicroMoment.Orleans.sln; the data sit
/// beside it in <c>&lt;root&gt;/../shared/data</c> and are never copied into the repository.
/// </summary>
internal static class RepositoryLayout
{
    private const string Solution = "MicroMoment.Orleans.sln";

    /// <summary>The folder holding MicroMoment.Orleans.sln.</summary>
    public static string Root =>
        FindAbove(AppContext.BaseDirectory) ?? FindAbove(Environment.CurrentDirectory) ?? throw new DirectoryNotFoundException(
            $"Could not find {Solution} above '{AppContext.BaseDirectory}' or '{Environment.CurrentDirectory}'; run from a checkout of the repository.");

    /// <summary>The shared data folder, <c>&lt;repository root&gt;/../shared/data</c> (it may not exist).</summary>
    public static string SharedDataRoot => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    /// <summary>A file or folder in the shared data folder; throws naming the path and what it is for when it is missing.</summary>
    /// <param name="relative">The path inside the shared data folder, e.g. <c>rees46/2019-Oct-head.csv.gz</c>.</param>
    /// <param name="usedFor">What needs it, for the error message.</param>
    public static string SharedData(string relative, string usedFor)
    {
        string path = Path.Combine(SharedDataRoot, relative);
        if (File.Exists(path) || Directory.Exists(path)) return path;
        throw new FileNotFoundException(
            $"'{path}' is missing; {usedFor} reads it from the shared data folder beside the repository (<repository root>/../shared/data, see its README.md).", path);
    }

    private static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Solution))) return dir.FullName;
        }

        return null;
    }
}
