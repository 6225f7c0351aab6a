using System.Threading.Channels;

namespace Eventuali.Parquet;

/// <summary>
/// Hands full row groups from the reading side (which reads events and fills the columns) to one writing task (which
/// encodes and compresses them), so the two run on separate cores. Row groups of one file are written in the order
/// submitted; at most <see cref="InFlight"/> wait, so memory stays bounded. A writing failure surfaces on the next
/// submit and at completion.
/// </summary>
internal sealed class RowGroupPipeline : IDisposable
{
    private const int InFlight = 2;
    private readonly Channel<(PartitionWriter Partition, EventColumns Rows)> _full = Channel.CreateBounded<(PartitionWriter, EventColumns)>(new BoundedChannelOptions(InFlight) { SingleReader = true, SingleWriter = true });
    private readonly Channel<EventColumns> _free = Channel.CreateUnbounded<EventColumns>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _failed = new();
    private readonly int _rowGroupSize;
    private readonly Task _writing;

    public RowGroupPipeline(int rowGroupSize, CancellationToken ct)
    {
        _rowGroupSize = rowGroupSize;
        _writing = Task.Run(() => WriteAsync(ct), CancellationToken.None);
    }

    /// <summary>An empty buffer: one the writer has finished with, or a new one.</summary>
    public EventColumns Rent() => _free.Reader.TryRead(out var rows) ? rows : new EventColumns(_rowGroupSize);

    public async ValueTask SubmitAsync(PartitionWriter partition, EventColumns rows, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _failed.Token);
        try
        {
            await _full.Writer.WriteAsync((partition, rows), linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_failed.IsCancellationRequested)
        {
            await _writing.ConfigureAwait(false); // throws the writer's failure
            throw;
        }
    }

    /// <summary>Waits for every submitted row group to be written; throws the writer's failure, if any.</summary>
    public Task CompleteAsync()
    {
        _full.Writer.TryComplete();
        return _writing;
    }

    /// <summary>Call after <see cref="CompleteAsync"/> has finished.</summary>
    public void Dispose() => _failed.Dispose();

    private async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (partition, rows) in _full.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await partition.WriteRowGroupAsync(rows, ct).ConfigureAwait(false);
                _free.Writer.TryWrite(rows);
            }
        }
        catch
        {
            await _failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
