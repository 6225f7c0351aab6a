namespace Eventuali.Messaging.Nats;

/// <summary>
/// The <c>Nats-Expected-Last-Msg-Id</c> chain of a publisher with several batches out: a batch expects the last message
/// sent before it. Once nothing is out, the chain goes on from the last message of the batches confirmed in order (a
/// batch after a failed one counts as unconfirmed), which is where the relay publishes again from.
/// </summary>
internal sealed class NatsChain
{
    private readonly Lock _lock = new();
    private readonly Queue<Link> _out = new();
    private string? _lastSent;
    private string? _lastConfirmed;

    /// <summary>Records a batch sent whose last message is <paramref name="last"/>; <paramref name="previous"/> is what its first message expects.</summary>
    public Link Add(string? last, out string? previous)
    {
        lock (_lock)
        {
            if (_out.Count == 0)
            {
                _lastSent = _lastConfirmed;
            }

            previous = _lastSent;
            var link = new Link(last ?? _lastSent);
            _out.Enqueue(link);
            _lastSent = link.Last;
            return link;
        }
    }

    public void Complete(Link link, bool confirmed)
    {
        lock (_lock)
        {
            link.Outcome = confirmed ? 1 : -1;
            while (_out.TryPeek(out var oldest) && oldest.Outcome == 1)
            {
                _lastConfirmed = oldest.Last;
                _out.Dequeue();
            }

            // A failed batch blocks the confirmed prefix; once every batch out has an outcome, they are dropped.
            if (_out.All(l => l.Outcome != 0))
            {
                _out.Clear();
            }
        }
    }

    internal sealed class Link(string? last)
    {
        public string? Last { get; } = last;

        public int Outcome { get; set; }
    }
}
