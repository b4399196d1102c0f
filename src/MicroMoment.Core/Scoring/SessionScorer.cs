using MicroMoment.Events;
using MicroMoment.Features;
using MicroMoment.Model;
using MicroMoment.Sessions;

namespace MicroMoment.Scoring;

/// <summary>
/// The streaming scorer of one shopper: sessionizes, encodes features, steps the attention-LSTM once and
/// calibrates, per event, with no allocation. Offline evaluation and the live user grain both use it, so
/// training-time and serving-time scores cannot drift apart.
/// </summary>
/// <remarks>
/// Scoring one event has three phases: <see cref="Prepare"/> (session boundary and feature encoding),
/// the network step, and <see cref="Complete"/> (calibration and intent). <see cref="Score"/> runs them in a
/// row for one shopper; a host that scores many shoppers at once runs <see cref="Prepare"/> per shopper, one
/// <see cref="AttentionLstm.StepBatch"/> over all of them, then <see cref="Complete"/> per shopper, and gets the
/// same scores (up to float rounding of the batched matrix product).
/// </remarks>
public sealed class SessionScorer
{
    private readonly MicroMomentModel _model;
    private readonly float[] _state;
    private readonly float[] _input;
    private SessionFeatureState _features;
    private long _lastEventTicks;
    private int _position;

    /// <summary>Creates a scorer with an empty session.</summary>
    public SessionScorer(MicroMomentModel model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _state = new float[model.Network.StateSize];
        _input = new float[model.Features.InputDimension];
        Reset();
    }

    /// <summary>The model this scorer steps.</summary>
    public MicroMomentModel Model => _model;

    /// <summary>Number of events in the current session.</summary>
    public int SessionLength => _position;

    /// <summary>The running feature state of the current session.</summary>
    public ref readonly SessionFeatureState Features => ref _features;

    /// <summary>The recurrent and attention state of the current session (layout: see the network).</summary>
    public ReadOnlySpan<float> NetworkState => _state;

    /// <summary>Forgets the current session.</summary>
    public void Reset()
    {
        _features = default;
        _features.Reset();
        _model.Network.ResetState(_state);
        _lastEventTicks = 0;
        _position = 0;
    }

    /// <summary>Scores one event; events must arrive in time order per shopper.</summary>
    public EventScore Score(in ClickEvent e)
    {
        var newSession = Prepare(_model, ref _features, _state, ref _lastEventTicks, ref _position, e, _input, out var cluster, out var position);
        var output = _model.Network.Step(_input, _state);
        return Complete(_model, output, cluster, position, newSession);
    }

    /// <summary>
    /// Phase one of scoring <paramref name="e"/> for one shopper: decides whether it starts a new session (then
    /// clears <paramref name="features"/> and <paramref name="networkState"/>), adds it to the feature state and
    /// writes the model input. Advances <paramref name="lastEventTicks"/> and <paramref name="sessionLength"/>.
    /// The caller then steps the network on <paramref name="input"/> and <paramref name="networkState"/> and calls
    /// <see cref="Complete"/>. Allocates nothing.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="features">The shopper's running feature state.</param>
    /// <param name="networkState">The shopper's network state (<see cref="AttentionLstm.StateSize"/> floats).</param>
    /// <param name="lastEventTicks">Ticks of the shopper's previous event (ignored when <paramref name="sessionLength"/> is 0).</param>
    /// <param name="sessionLength">Events in the current session so far (0: no session yet).</param>
    /// <param name="e">The event.</param>
    /// <param name="input">Receives the model input (<see cref="FeaturePipeline.InputDimension"/> floats).</param>
    /// <param name="cluster">The behavioral cluster of the session prefix ending at the event.</param>
    /// <param name="position">The event's 0-based index in its session.</param>
    /// <returns>True when the event started a new session.</returns>
    public static bool Prepare(
        MicroMomentModel model,
        ref SessionFeatureState features,
        Span<float> networkState,
        ref long lastEventTicks,
        ref int sessionLength,
        in ClickEvent e,
        Span<float> input,
        out int cluster,
        out int position)
    {
        ArgumentNullException.ThrowIfNull(model);
        var newSession = sessionLength == 0 || SessionBoundary.IsNewSession(lastEventTicks, e.Timestamp.Ticks, model.SessionTimeout.Ticks);
        if (newSession && sessionLength > 0)
        {
            features = default;
            features.Reset();
            model.Network.ResetState(networkState);
            sessionLength = 0;
        }

        model.Features.Step(ref features, e, input, out cluster);
        lastEventTicks = e.Timestamp.Ticks;
        position = sessionLength++;
        return newSession;
    }

    /// <summary>Phase three: calibrates the network's logits and reads the intent; a head the model does not have
    /// scores NaN (no score). Allocates nothing.</summary>
    /// <param name="model">The model.</param>
    /// <param name="output">The network's output for the event.</param>
    /// <param name="cluster">The cluster <see cref="Prepare"/> returned.</param>
    /// <param name="position">The position <see cref="Prepare"/> returned.</param>
    /// <param name="newSession">What <see cref="Prepare"/> returned.</param>
    public static EventScore Complete(MicroMomentModel model, in StepOutput output, int cluster, int position, bool newSession)
    {
        ArgumentNullException.ThrowIfNull(model);
        var buy = model.BuyProbability(output.BuyLogit);
        var exit = model.ExitProbability(output.ExitLogit);
        return new EventScore(buy, exit, cluster, output.AttentionScore, model.IntentOf(buy, exit), position, newSession);
    }
}
