using MicroMoment.Scoring;

namespace MicroMoment.Gateway.Tests;

/// <summary>The model shipped in models/default, loaded once, and the repository paths the tests need.</summary>
public static class BundledModel
{
    private static readonly Lazy<MicroMomentModel> Loaded = new(() => MicroMomentModel.Load(Path.Combine(RepositoryRoot, "models", "default", "model.mmm")));

    /// <summary>The bundled model.</summary>
    public static MicroMomentModel Model => Loaded.Value;

    /// <summary>The folder holding MicroMoment.Orleans.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot => MicroMoment.Testing.RepositoryLayout.Root;

    /// <summary>The shared REES46 sample (never copied into the repository).</summary>
    public static string Rees46HeadPath => MicroMoment.Testing.RepositoryLayout.SharedData("rees46/2019-Oct-head.csv.gz", "the gateway tests");
}
