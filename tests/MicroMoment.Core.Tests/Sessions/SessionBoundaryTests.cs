using MicroMoment.Sessions;

namespace MicroMoment.Tests.Sessions;

public class SessionBoundaryTests
{
    private static readonly DateTime T = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    [Fact]
    public void GapOfExactlyTheTimeoutContinuesTheSession() =>
        Assert.False(SessionBoundary.IsNewSession(T, T + Timeout, Timeout));

    [Fact]
    public void GapOneTickLongerThanTheTimeoutStartsANewSession() =>
        Assert.True(SessionBoundary.IsNewSession(T, T + Timeout + TimeSpan.FromTicks(1), Timeout));

    [Fact]
    public void EventOlderThanThePreviousOneNeverStartsASession()
    {
        Assert.False(SessionBoundary.IsNewSession(T, T - TimeSpan.FromSeconds(5), Timeout));
        Assert.False(SessionBoundary.IsNewSession(T, T - TimeSpan.FromHours(5), Timeout));
    }

    [Fact]
    public void NonPositiveTimeoutIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionBoundary.IsNewSession(T, T, TimeSpan.Zero));

    [Fact]
    public void SessionIsCensoredOnlyWhenTheLogEndsLessThanOneTimeoutAfterIt()
    {
        Assert.True(SessionBoundary.IsCensored(T, T + Timeout - TimeSpan.FromSeconds(1), Timeout));
        Assert.False(SessionBoundary.IsCensored(T, T + Timeout, Timeout));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(60 * 24 * 8)]
    public void OptionsWithAnUnreasonableTimeoutFailValidation(int minutes)
    {
        var options = new SessionizerOptions { InactivityTimeout = TimeSpan.FromMinutes(minutes) };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains("inactivity timeout", error.Message);
    }

    [Fact]
    public void DefaultOptionsUseThirtyMinutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), SessionizerOptions.Default.InactivityTimeout);
        SessionizerOptions.Default.Validate();
    }
}
