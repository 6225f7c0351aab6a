namespace Eventuali.Caching.Redis;

/// <summary>
/// Stops calls to a failing server for a while: after <c>failuresToOpen</c> failures in a row it opens for
/// <c>breakDuration</c>, then lets one trial call through; its success closes it, its failure opens it again.
/// </summary>
internal sealed class CircuitBreaker(int failuresToOpen, TimeSpan breakDuration, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private int _failures;
    private long _openUntil;
    private bool _trialRunning;

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _failures >= failuresToOpen && (clock.GetTimestamp() < _openUntil || _trialRunning);
            }
        }
    }

    /// <summary>Whether a call may go to the server now (a true while open-but-expired makes it the trial call).</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_failures < failuresToOpen)
            {
                return true;
            }

            if (clock.GetTimestamp() < _openUntil || _trialRunning)
            {
                return false;
            }

            _trialRunning = true;
            return true;
        }
    }

    public void Succeeded()
    {
        lock (_gate)
        {
            _failures = 0;
            _trialRunning = false;
        }
    }

    public void Failed()
    {
        lock (_gate)
        {
            _trialRunning = false;
            _failures = Math.Min(_failures + 1, failuresToOpen);
            if (_failures >= failuresToOpen)
            {
                _openUntil = clock.GetTimestamp() + (long)(breakDuration.TotalSeconds * clock.TimestampFrequency);
            }
        }
    }
}
