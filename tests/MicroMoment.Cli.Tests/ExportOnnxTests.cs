using MicroMoment.Cli.Commands;
using MicroMoment.Onnx;
using MicroMoment.Scoring;

namespace MicroMoment.Cli.Tests;

public sealed class ExportOnnxTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mm-export-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ExportOnnxWritesAGraphAndSidecarThatLoadForTheModel()
    {
        var console = new RecordingConsole();
        var output = new DirectoryInfo(Path.Combine(_root, "onnx", "nested"));
        Assert.Equal(ExitCodes.Success, ExportOnnxCommand.Run(console, QuickstartCommand.BundledModel(), output));
        var model = MicroMomentModel.Load(QuickstartCommand.BundledModel().FullName);
        var graph = StepGraphFile.Load(output.FullName, model);
        Assert.Equal(17, graph.Sidecar.OpsetVersion);
        Assert.Equal(8, graph.Sidecar.IrVersion);
        Assert.Contains("opset 17", console.Output);
        Assert.Contains($"x [batch, {model.Network.Shape.InputSize}]", console.Output);

        // Exporting again replaces the files with identical ones.
        var first = File.ReadAllBytes(Path.Combine(output.FullName, OnnxExport.GraphFileName));
        Assert.Equal(ExitCodes.Success, ExportOnnxCommand.Run(new RecordingConsole(), null, output));
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(output.FullName, OnnxExport.GraphFileName)));
        Assert.Equal(2, Directory.GetFiles(output.FullName).Length);
    }

    [Fact]
    public void ExportOnnxRefusesABadModelWithExitCode3AndAFileAsOutputWithExitCode2()
    {
        var bad = Path.Combine(_root, "bad.mmm");
        File.WriteAllText(bad, "not a model");
        var console = new RecordingConsole();
        Assert.Equal(ExitCodes.BadModel, ExportOnnxCommand.Run(console, new FileInfo(bad), new DirectoryInfo(Path.Combine(_root, "out"))));
        Assert.Contains("bad.mmm", console.Output);
        Assert.False(Directory.Exists(Path.Combine(_root, "out")));

        var file = Path.Combine(_root, "taken");
        File.WriteAllText(file, "x");
        console = new RecordingConsole();
        Assert.Equal(ExitCodes.BadInput, ExportOnnxCommand.Run(console, null, new DirectoryInfo(file)));
        Assert.Contains("is a file; expected a folder", console.Output);
    }
}
