namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>Where the repository, its tools, the built program and the shared real data are, from the test binaries.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding MicroMoment.Orleans.sln.</summary>
    public static string Root => MicroMoment.Testing.RepositoryLayout.Root;

    /// <summary>REES46's first 17,435 rows in the shared data folder (never copied into the repository).</summary>
    public static string Rees46Head => MicroMoment.Testing.RepositoryLayout.SharedData("rees46/2019-Oct-head.csv.gz", "the cluster fault tests");

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
