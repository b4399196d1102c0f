using System.CommandLine;
using System.Globalization;
using MicroMoment.Artifacts;
using MicroMoment.Cli.Simulation;
using MicroMoment.Cli.Traffic;
using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Silo.Triggers;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary>
/// <c>micromoment simulate-policy</c>: replays a real log through the same grains and trigger engine as <c>serve</c>
/// (in process, on event time), reports what the policy would have done per session, sweeps thresholds per intent and
/// cluster under a stated cost model, writes the recommended policy and simulates it again.
/// </summary>
internal static class SimulatePolicyCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo?>("--model") { Description = "Model file (default: the bundled model)" };
        var policy = new Option<FileInfo?>("--policy") { Description = "Trigger policy file, YAML or JSON (default: policies/default.yaml)" };
        var data = CommonOptions.Data();
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder for policy-simulation.html/.json and the recommended policy", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "simulate-policy")) };
        var tenant = new Option<string>("--tenant") { Description = "Tenant the events belong to (experiment arms hash it with the user id)", DefaultValueFactory = _ => ClickEvent.DefaultTenant };
        var margin = new Option<double>("--margin") { Description = "Cost model: profit of one purchase", DefaultValueFactory = _ => CostModel.Default.Margin };
        var offerCost = new Option<double>("--offer-cost") { Description = "Cost model: cost of an offer a buyer redeems (e.g. the discount)", DefaultValueFactory = _ => CostModel.Default.OfferCost };
        var uplift = new Option<double>("--uplift") { Description = "Cost model: assumed relative uplift of an offer on the chance to buy (0.1 = 10%)", DefaultValueFactory = _ => CostModel.Default.Uplift };
        var annoyance = new Option<double>("--annoyance") { Description = "Cost model: cost of interrupting a shopper who does not buy", DefaultValueFactory = _ => CostModel.Default.Annoyance };
        var noSweep = new Option<bool>("--no-sweep") { Description = "Only simulate the policy; no threshold sweep or recommendation" };
        var acceptPartial = CommonOptions.AcceptPartial();
        var command = new Command("simulate-policy", "Replay a log through the grains and trigger engine offline: per-session outcome of a policy, a threshold sweep and a recommended policy");
        foreach (var o in new Option[] { model, policy, data, output, tenant, margin, offerCost, uplift, annoyance, noSweep, acceptPartial }) command.Options.Add(o);
        command.SetAction((ParseResult parse, CancellationToken ct) => RunAsync(AnsiConsole.Console, new Settings(
            parse.GetValue(model) ?? QuickstartCommand.BundledModel(),
            parse.GetValue(policy) ?? QuickstartCommand.DefaultPolicy(),
            parse.GetValue(data)!,
            parse.GetValue(output)!,
            parse.GetValue(tenant)!,
            new CostModel(parse.GetValue(margin), parse.GetValue(offerCost), parse.GetValue(uplift), parse.GetValue(annoyance)),
            !parse.GetValue(noSweep),
            parse.GetValue(acceptPartial)), ct));
        return command;
    }

    /// <summary>What to simulate.</summary>
    internal sealed record Settings(FileInfo Model, FileInfo Policy, IReadOnlyList<FileInfo> Data, DirectoryInfo Out, string Tenant, CostModel Cost, bool Sweep, bool AcceptPartial = false);

    internal static async Task<int> RunAsync(IAnsiConsole console, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Cost.Validate() is { } costError)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {costError}");
            return ExitCodes.BadInput;
        }
        if (string.IsNullOrWhiteSpace(settings.Tenant))
        {
            console.MarkupLine("[red]error:[/] --tenant is blank; expected the shop's tenant name (serve's default is 'default').");
            return ExitCodes.BadInput;
        }
        MicroMomentModel model;
        try
        {
            model = MicroMomentModel.Load(settings.Model.FullName);
        }
        catch (Exception ex) when (ex is ModelFormatException or FileNotFoundException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadModel;
        }
        console.MarkupLineInterpolated($"Model:  [bold]{model}[/]");
        var binding = PolicyBinding.Of(model);
        Policy policy;
        try
        {
            if (!settings.Policy.Exists)
                throw new FileNotFoundException($"The policy file {settings.Policy.FullName} does not exist; expected a YAML or JSON trigger policy (see policies/default.yaml).", settings.Policy.FullName);
            policy = PolicyLoader.LoadFile(settings.Policy.FullName, binding);
        }
        catch (Exception ex) when (ex is PolicyException or FileNotFoundException or IOException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
        console.MarkupLineInterpolated($"Policy: [bold]{settings.Policy.FullName}[/] (version {policy.Version}, {policy.Rules.Count} rules)");

        ClickEvent[] events;
        try
        {
            (events, int skipped, var ingest) = console.Status().Start("Reading and ordering events", _ => ReplayLog.ReadOrdered(settings.Data));
            console.WriteLine(ingest.Summary());
            DataInput.RequireComplete(ingest, settings.AcceptPartial, console);
            if (skipped > 0) console.MarkupLineInterpolated($"[yellow]{skipped:N0} events of other types are left out (the wire carries view, cart, remove_from_cart and purchase).[/]");
        }
        catch (Exception ex) when (ex is NoUsableRowsException or IncompleteInputException or FileNotFoundException or InvalidDataException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
        if (events.Length == 0)
        {
            console.MarkupLine("[red]error:[/] the log has no events the grains take (view, cart, remove_from_cart, purchase).");
            return ExitCodes.BadInput;
        }

        var current = await SimulateAsync(console, model, settings.Policy.FullName, events, settings.Tenant, $"simulate {policy.Version}", cancellationToken).ConfigureAwait(false);
        var currentMetrics = current.Outcomes.Summarize(settings.Cost);
        settings.Out.Create();
        SweepResult? sweep = null;
        string? recommendedFile = null, recommendedText = null;
        SimulationRun? recommended = null;
        PolicyMetrics? recommendedMetrics = null;
        var (intents, start) = Scorable(console, model, ThresholdSweep.StartOf(policy));
        if (settings.Sweep && currentMetrics.PurchasingSessions == 0)
        {
            console.MarkupLine("[yellow]No session of the log has a purchase, so the sweep has nothing to weigh offers against (it would turn every rule off); no threshold is recommended. A YOOCHOOSE clicks file carries no purchases: its buys are a separate file.[/]");
        }
        else if (settings.Sweep && intents.Count == 0)
        {
            console.MarkupLine("[yellow]No rule of the policy reads a head the model has, so there is nothing to sweep; no threshold is recommended.[/]");
        }
        else if (settings.Sweep)
        {
            sweep = console.Status().Start("Sweeping thresholds", _ =>
                ThresholdSweep.Run(current.Outcomes.Trace, current.Outcomes.Purchased(), intents, start, binding.ClusterNames, settings.Cost));
            bool json = settings.Policy.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase);
            recommendedFile = Path.Combine(settings.Out.FullName, "recommended-policy" + (json ? ".json" : ".yaml"));
            recommendedText = RecommendedPolicy.Write(await File.ReadAllTextAsync(settings.Policy.FullName, cancellationToken).ConfigureAwait(false), json, sweep,
                $"Recommended by 'micromoment simulate-policy' from {settings.Policy.Name} (version {policy.Version}) over {string.Join(", ", settings.Data.Select(f => f.Name))}.\n" +
                $"Cost model: {settings.Cost.Describe()}\nThresholds per cluster from the sweep; every other setting is the input's.");
            await File.WriteAllTextAsync(recommendedFile, recommendedText, cancellationToken).ConfigureAwait(false);
            try
            {
                PolicyLoader.LoadFile(recommendedFile, binding);
            }
            catch (PolicyException ex)
            {
                throw new InvalidOperationException($"The recommended policy written to {recommendedFile} does not load: {ex.Message}", ex);
            }
            recommended = await SimulateAsync(console, model, recommendedFile, events, settings.Tenant, "simulate recommended", cancellationToken).ConfigureAwait(false);
            recommendedMetrics = recommended.Outcomes.Summarize(settings.Cost);
        }

        var simulation = new PolicySimulation(model.ToString(), [.. settings.Data.Select(f => f.FullName)], settings.Tenant, events.Length, settings.Policy.FullName,
            current, currentMetrics, sweep, recommendedFile, recommended, recommendedMetrics);
        var (html, jsonPath) = PolicySimulationReport.Write(simulation, settings.Out.FullName, recommendedText);
        Print(console, simulation);
        if (current.PolicyVersion != current.PolicyVersionAtEnd)
            console.MarkupLineInterpolated($"[yellow]The policy file changed during the run (version {current.PolicyVersion} → {current.PolicyVersionAtEnd}); run again for a clean result.[/]");
        console.MarkupLineInterpolated($"Report: [bold]{html}[/]");
        console.MarkupLineInterpolated($"JSON:   [bold]{jsonPath}[/]");
        if (recommendedFile is not null) console.MarkupLineInterpolated($"Recommended policy: [bold]{recommendedFile}[/] (serve --policy {recommendedFile})");
        return ExitCodes.Success;
    }

    /// <summary>The intents (and their sweep starts) the model can score: a rule on a head the model does not have
    /// never fires, so there is nothing to sweep for it; says which were left out.</summary>
    private static (IReadOnlyList<Intent> Intents, float[][] Start) Scorable(IAnsiConsole console, MicroMomentModel model, (IReadOnlyList<Intent> Intents, float[][] Start) all)
    {
        var keep = Enumerable.Range(0, all.Intents.Count).Where(i => all.Intents[i] switch
        {
            Intent.Buy => model.HasBuyHead,
            Intent.Exit => model.HasExitHead,
            _ => true,
        }).ToArray();
        if (keep.Length < all.Intents.Count)
        {
            var missing = Enumerable.Range(0, all.Intents.Count).Except(keep).Select(i => all.Intents[i].ToString().ToLowerInvariant());
            console.MarkupLineInterpolated($"[yellow]The model has no {string.Join(" or ", missing)} head: rules on it never fire and are not swept.[/]");
        }
        return ([.. keep.Select(i => all.Intents[i])], [.. keep.Select(i => all.Start[i])]);
    }

    private static Task<SimulationRun> SimulateAsync(IAnsiConsole console, MicroMomentModel model, string policyPath, ClickEvent[] events, string tenant, string label, CancellationToken cancellationToken) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: events.Length);
                return PolicySimulator.RunAsync(model, policyPath, events, tenant, new ProgressTaskReporter(task), cancellationToken);
            });

    private static void Print(IAnsiConsole console, PolicySimulation s)
    {
        var table = new Table().Title($"Policy simulation: {s.Events:N0} events, {s.Current.EventsPerSecond:N0} events/s");
        table.AddColumns("measure", $"policy {s.Current.PolicyVersion}");
        if (s.Recommended is not null) table.AddColumn($"recommended (simulated again)");
        foreach (var row in PolicySimulationReport.Rows(s.CurrentMetrics, s.RecommendedMetrics))
            table.AddRow(s.Recommended is null ? [Markup.Escape(row[0]), Markup.Escape(row[1])] : [.. row.Select(Markup.Escape)]);
        console.Write(table);
        if (s.Sweep is { } sweep)
        {
            console.MarkupLineInterpolated($"Cost model: {sweep.Cost.Describe()}");
            var changes = sweep.Coordinates.Where(c => !c.NoData && c.Recommended != c.Current)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Intent.ToString().ToLowerInvariant()}/{c.ClusterName} {c.Current:0.###}→{c.Recommended:0.00}")).ToList();
            console.MarkupLineInterpolated($"Thresholds changed: {(changes.Count == 0 ? "none" : string.Join(", ", changes))}");
        }
    }
}
