using System.CommandLine;
using MicroMoment.Artifacts;
using MicroMoment.Onnx;
using MicroMoment.Scoring;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary><c>micromoment export-onnx</c>: writes a model's streaming step as an ONNX graph with a JSON sidecar.</summary>
internal static class ExportOnnxCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model file written by 'train' (default: the bundled model)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder for step.onnx and step.json", Required = true };
        var command = new Command("export-onnx", "Write the model's streaming step as an ONNX graph (opset 17) with a JSON sidecar");
        command.Options.Add(model);
        command.Options.Add(output);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
            Task.FromResult(Run(AnsiConsole.Console, parse.GetValue(model), parse.GetValue(output)!)));
        return command;
    }

    internal static int Run(IAnsiConsole console, FileInfo? modelFile, DirectoryInfo outDir)
    {
        string path = (modelFile ?? QuickstartCommand.BundledModel()).FullName;
        MicroMomentModel model;
        try
        {
            model = MicroMomentModel.Load(path);
        }
        catch (Exception ex) when (ex is ModelFormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadModel;
        }

        StepGraphSidecar sidecar;
        try
        {
            if (File.Exists(outDir.FullName))
            {
                console.MarkupLineInterpolated($"[red]error:[/] --out '{outDir.FullName}' is a file; expected a folder for step.onnx and step.json.");
                return ExitCodes.BadInput;
            }

            sidecar = OnnxExport.Export(model, outDir.FullName);
            // Read back what was written, with the same checks a scorer applies before trusting it.
            StepGraphFile.Load(outDir.FullName, model);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] could not write to '{outDir.FullName}': {ex.Message}");
            return ExitCodes.BadInput;
        }

        var shape = sidecar.Shape;
        console.MarkupLineInterpolated($"Model:   [bold]{model}[/]");
        console.MarkupLineInterpolated($"Graph:   [bold]{Path.Combine(outDir.FullName, OnnxExport.GraphFileName)}[/] (ONNX IR {sidecar.IrVersion}, opset {sidecar.OpsetVersion}, dynamic batch)");
        console.MarkupLineInterpolated($"Sidecar: [bold]{Path.Combine(outDir.FullName, OnnxExport.SidecarFileName)}[/] (feature schema {sidecar.FeatureSchemaHash}, calibration, thresholds)");
        console.MarkupLineInterpolated($"Inputs:  {string.Join(", ", StepGraph.Inputs(shape).Select(v => v.Name + " " + v.ShapeText))}");
        console.MarkupLineInterpolated($"Outputs: {string.Join(", ", StepGraph.Outputs(shape).Select(v => v.Name + " " + v.ShapeText))}");
        return ExitCodes.Success;
    }
}
