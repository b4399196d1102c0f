namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>Where the repository, its tools, the built program and the shared real data are, from the test binaries.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding MicroMoment.Orleans.sln.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MicroMoment.Orleans.sln"))) return dir.FullName;
            }

            throw new DirectoryNotFoundException($"Could not find MicroMoment.Orleans.sln above '{AppContext.BaseDirectory}'; the tests run from a checkout.");
        }
    }

    /// <summary>REES46's first 17,435 rows in the shared data folder (never copied into the repository).</summary>
    public static string Rees46Head
    {
        get
        {
            string path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "rees46", "2019-Oct-head.csv.gz"));
            if (!File.Exists(path))
                throw new FileNotFoundException($"REES46 sample not found at '{path}'; the cluster fault test replays it: make <repository root>/../shared/data available (see its README.md).", path);
            return path;
        }
    }

    /// <summary>The built command line (micromoment.dll) with its runtime configuration, model and policy next to it.</summary>
    public static string Program
    {
        get
        {
            string here = Path.Combine(AppContext.BaseDirectory, "micromoment.dll");
            if (File.Exists(here) && File.Exists(Path.Combine(AppContext.BaseDirectory, "micromoment.runtimeconfig.json"))) return here;
            // Artifacts layout: artifacts/bin/<project>/<configuration>/.
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Name;
            string built = Path.Combine(Root, "artifacts", "bin", "MicroMoment.Cli", configuration, "micromoment.dll");
            if (File.Exists(built)) return built;
            throw new FileNotFoundException($"The built program was not found at '{here}' nor '{built}'; build src/MicroMoment.Cli first.", built);
        }
    }
}
