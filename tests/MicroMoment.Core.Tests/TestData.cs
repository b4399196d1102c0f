namespace MicroMoment.Tests;

/// <summary>
/// Locates the shared real data sets (never copied into the repository): walks up from the test binaries to the
/// folder holding MicroMoment.Orleans.sln and resolves <c>&lt;root&gt;/../shared/data/...</c>.
/// </summary>
public static class TestData
{
    /// <summary>The shared data folder, <c>&lt;repository root&gt;/../shared/data</c>.</summary>
    public static string DataRoot => Resolve(string.Empty);

    /// <summary>The first 17,435 rows of REES46 2019-Oct.csv, gzip.</summary>
    public static string Rees46HeadPath => Resolve(Path.Combine("rees46", "2019-Oct-head.csv.gz"));

    /// <summary>The 100k-row YOOCHOOSE clicks subset prepared by session-rec (TSV SessionId, ItemId, Time), gzip.</summary>
    public static string YoochoosePath => Resolve(Path.Combine("yoochoose", "yoochoose-clicks-100k_train_full.txt.gz"));

    /// <summary>The folder holding MicroMoment.Orleans.sln, found by walking up from <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MicroMoment.Orleans.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException(
                $"Could not find MicroMoment.Orleans.sln in '{AppContext.BaseDirectory}' or any folder above it; the tests must run from a checkout of the repository.");
        }
    }

    private static string Resolve(string relative)
    {
        string dataRoot = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
        string path = relative.Length == 0 ? dataRoot : Path.Combine(dataRoot, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException(
                $"Shared test data not found at '{path}'. The real data sets live outside the repository in <repository root>/../shared/data " +
                "(see its README.md); make that folder available to run the tests that read real data.", path);
        }

        return path;
    }
}
