using MicroMoment.Scoring;

namespace MicroMoment.Gateway.Tests;

/// <summary>The model shipped in models/default, loaded once, and the repository paths the tests need.</summary>
public static class BundledModel
{
    private static readonly Lazy<MicroMomentModel> Loaded = new(() => MicroMomentModel.Load(Path.Combine(RepositoryRoot, "models", "default", "model.mmm")));

    /// <summary>The bundled model.</summary>
    public static MicroMomentModel Model => Loaded.Value;

    /// <summary>The folder holding MicroMoment.Orleans.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MicroMoment.Orleans.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException($"Could not find MicroMoment.Orleans.sln in '{AppContext.BaseDirectory}' or any folder above it; the tests must run from a checkout of the repository.");
        }
    }

    /// <summary>The shared REES46 sample (never copied into the repository).</summary>
    public static string Rees46HeadPath
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "rees46", "2019-Oct-head.csv.gz"));
            if (!File.Exists(path))
                throw new FileNotFoundException($"Shared test data not found at '{path}'; the REES46 sample lives outside the repository in <repository root>/../shared/data.", path);
            return path;
        }
    }
}
