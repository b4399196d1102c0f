using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo;

/// <summary>
/// Watches the policy file of <see cref="SiloOptions.PolicyPath"/> and swaps the compiled policy for every grain when
/// its content changes: a <see cref="FileSystemWatcher"/> on the file's folder (changes are checked
/// <see cref="SettleDelay"/> after the last notification, so an editor's partial writes settle), plus polling every
/// <see cref="SiloOptions.PolicyPollInterval"/> as a fallback (file systems such as network mounts send no
/// notifications; polling compares size and modification time, then the SHA-256 of the bytes). A file that fails to
/// read, parse or validate, in whatever way, leaves the running policy in place and is recorded (once per distinct
/// content) with the loader's message naming the file and the line. Checks run one at a time.
/// </summary>
internal sealed class PolicyWatcher : IDisposable
{
    /// <summary>How long after the last file-system notification the file is read.</summary>
    public static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(50);

    private readonly SiloContext _context;
    private readonly string _path;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer _poll;
    private readonly ITimer _settle;
    private string _runningHash;
    private string? _failedSignature;
    private (long Length, DateTime Modified) _seen;
    private PolicyStatus _status;
    private bool _disposed;

    /// <summary>Starts watching; <paramref name="initialHash"/> is the hash of the bytes the running policy came from.</summary>
    public PolicyWatcher(SiloContext context, string path, string initialHash, TimeSpan pollInterval, TimeProvider clock, ILogger log)
    {
        _context = context;
        _path = Path.GetFullPath(path);
        _clock = clock;
        _log = log;
        _runningHash = initialHash;
        _seen = Stamp(_path);
        _status = StatusOf(context.Policy, initialHash, clock.GetUtcNow(), 0, 0, null, null, watching: true);

        // Timers run on real time whatever the silo clock is: file-system changes happen in real time.
        _settle = TimeProvider.System.CreateTimer(_ => CheckOnTimer(force: true), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _poll = TimeProvider.System.CreateTimer(_ => CheckOnTimer(force: false), null, pollInterval, pollInterval);
        try
        {
            string folder = Path.GetDirectoryName(_path) ?? ".";
            _watcher = new FileSystemWatcher(folder, Path.GetFileName(_path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            _watcher.Changed += OnNotified;
            _watcher.Created += OnNotified;
            _watcher.Renamed += OnNotified;
            _watcher.Deleted += OnNotified;
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher?.Dispose();
            _watcher = null;
            SiloLog.PolicyPolling(_log, _path, ex.Message, pollInterval.TotalSeconds);
        }
    }

    /// <summary>The running policy and the reload history.</summary>
    public PolicyStatus Status => Volatile.Read(ref _status);

    /// <summary>
    /// Reads the file (unless <paramref name="force"/> is false and its size and modification time are unchanged) and
    /// swaps the policy when its content differs from the running one and validates. Returns true when it swapped.
    /// </summary>
    public bool Check(bool force)
    {
        lock (_gate)
        {
            if (_disposed) return false;
            var stamp = Stamp(_path);
            if (!force && stamp == _seen) return false;
            _seen = stamp;
            byte[] bytes;
            try
            {
                bytes = PolicyLoader.ReadBytes(_path);
            }
            catch (PolicyException ex)
            {
                Fail("unreadable:" + ex.Problem, ex);
                return false;
            }

            string hash = Hash(bytes);
            if (hash == _runningHash)
            {
                // Back to the running content (e.g. a broken edit was undone): nothing to report any more.
                if (_status.LastError is not null) Publish(_status with { LastError = null, LastErrorAt = null });
                _failedSignature = null;
                return false;
            }

            if (hash == _failedSignature) return false;
            var running = _context.Policy;
            Policy next;
            try
            {
                next = Parse(bytes, _path, _context.Binding, running.Version);
            }
            catch (PolicyException ex)
            {
                Fail(hash, ex);
                return false;
            }

            _context.SwapPolicy(next);
            _runningHash = hash;
            _failedSignature = null;
            var status = _status;
            Publish(StatusOf(next, hash, _clock.GetUtcNow(), status.Reloads + 1, status.ReloadFailures, null, null, watching: true));
            SiloLog.PolicyReloaded(_log, _path, next.Version, running.Version, next.Rules.Count, next.Experiments.Count);
            return true;
        }
    }

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _watcher?.Dispose();
        _poll.Dispose();
        _settle.Dispose();
    }

    /// <summary>Reads and compiles the policy file, returning it with the SHA-256 of its bytes.</summary>
    /// <exception cref="PolicyException">The file cannot be read or used; the message names the file, the line and the reason.</exception>
    public static (Policy Policy, string Hash) Load(string path, PolicyBinding binding)
    {
        byte[] bytes = PolicyLoader.ReadBytes(path);
        return (Parse(bytes, path, binding, runningVersion: null), Hash(bytes));
    }

    /// <summary>The status of a policy that is not watched (the built-in one, or a file at start).</summary>
    public static PolicyStatus StatusOf(Policy policy, string? hash, DateTimeOffset loadedAt, long reloads, long failures, string? error, DateTimeOffset? errorAt, bool watching) => new(
        policy.Version, policy.Source, loadedAt, hash,
        [.. policy.Rules.Select(r => new PolicyRuleSummary(r.Name, r.Intent.ToString().ToLowerInvariant(), r.Offer.ToString().ToLowerInvariant(), r.Priority, r.Campaign, r.Consent ?? ConsentCategories.None))],
        [.. policy.Experiments.Select(e => e.Name)], reloads, failures, error, errorAt, watching);

    private static Policy Parse(byte[] bytes, string path, PolicyBinding binding, string? runningVersion) =>
        PolicyLoader.Parse(PolicyLoader.Decode(bytes), path, binding, PolicyLoader.IsJson(path), runningVersion);

    /// <summary>
    /// A check started by a timer: nothing may escape a timer callback (it would end the process, and with it every
    /// event already acknowledged), so anything unexpected is recorded as a failed reload and the running policy stays.
    /// </summary>
    private void CheckOnTimer(bool force)
    {
        try
        {
            Check(force);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            try
            {
                lock (_gate)
                {
                    if (!_disposed) Fail("unexpected:" + ex.GetType().Name + ex.Message, new PolicyException(_path, "(file)", $"could not be checked ({ex.GetType().Name}: {ex.Message}); the running policy stays.", null, null, ex));
                }
            }
            catch (Exception)
            {
                // Reporting failed too (e.g. the log sink threw); the running policy stays all the same.
            }
        }
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static (long, DateTime) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : (-1, default);
    }

    private void OnNotified(object sender, FileSystemEventArgs e)
    {
        try
        {
            _settle.Change(SettleDelay, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Fail(string signature, PolicyException error)
    {
        if (signature == _failedSignature) return;
        _failedSignature = signature;
        Publish(_status with { ReloadFailures = _status.ReloadFailures + 1, LastError = error.Message, LastErrorAt = _clock.GetUtcNow() });
        SiloLog.PolicyReloadFailed(_log, error.Message, _context.Policy.Version);
    }

    private void Publish(PolicyStatus status) => Volatile.Write(ref _status, status);
}
