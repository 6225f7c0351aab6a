using Eventuali.Projections;

namespace Eventuali.InMemory;

/// <summary>Dead letters of the memory store: one per projection and event, numbered like the SQL backends' rows.</summary>
internal sealed partial class MemoryProjections
{
    private long _lastDeadLetterId;

    /// <summary>Under the gate: parks, replacing (and keeping the id of) one already parked for the same event.</summary>
    private void Park(DeadLetter parked)
    {
        var index = _deadLetters.FindIndex(d => d.Projection == parked.Projection && d.Position == parked.Position);
        if (index >= 0)
        {
            _deadLetters[index] = parked with { Id = _deadLetters[index].Id, RetryRequested = false };
            return;
        }

        var at = _deadLetters.FindIndex(d => d.Projection == parked.Projection && d.Position > parked.Position);
        var stored = parked with { Id = ++_lastDeadLetterId, RetryRequested = false };
        if (at < 0)
        {
            _deadLetters.Add(stored);
        }
        else
        {
            _deadLetters.Insert(at, stored);
        }
    }

    public int RequestRetry(string projection, long? id)
    {
        lock (_gate)
        {
            var marked = 0;
            for (var i = 0; i < _deadLetters.Count; i++)
            {
                var d = _deadLetters[i];
                if (d.Projection == projection && (id is null || d.Id == id))
                {
                    _deadLetters[i] = d with { RetryRequested = true };
                    marked++;
                }
            }

            return marked;
        }
    }

    public int Delete(string projection, long? id)
    {
        lock (_gate)
        {
            return _deadLetters.RemoveAll(d => d.Projection == projection && (id is null || d.Id == id));
        }
    }
}
