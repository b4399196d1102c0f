using MicroMoment.Events;
using MicroMoment.Features;
using MicroMoment.Sessions;

namespace MicroMoment.Scoring;

/// <summary>
/// The streaming scorer of one shopper: sessionizes, encodes features, steps the attention-LSTM once and
/// calibrates, per event, with no allocation. Offline evaluation and the live user grain both use it, so
/// training-time and serving-time scores cannot drift apart.
/// </summary>
public sealed class SessionScorer
{
    private readonly MicroMomentModel _model;
    private readonly float[] _state;
    private readonly float[] _input;
    private SessionFeatureState _features;
    private DateTime _lastEvent;
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
        _lastEvent = DateTime.MinValue;
        _position = 0;
    }

    /// <summary>Scores one event; events must arrive in time order per shopper.</summary>
    public EventScore Score(in ClickEvent e)
    {
        var newSession = _position == 0 || SessionBoundary.IsNewSession(_lastEvent, e.Timestamp, _model.SessionTimeout);
        if (newSession && _position > 0) Reset();
        _model.Features.Step(ref _features, e, _input, out var cluster);
        var output = _model.Network.Step(_input, _state);
        _lastEvent = e.Timestamp;
        var position = _position++;
        var buy = _model.BuyCalibration.Apply(output.BuyLogit);
        var exit = _model.ExitCalibration.Apply(output.ExitLogit);
        return new EventScore(buy, exit, cluster, output.AttentionScore, _model.IntentOf(buy, exit), position, newSession);
    }
}
