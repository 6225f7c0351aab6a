using Eventuali.Snapshots;

namespace Eventuali.Cli.Demo;

/// <summary>The demo account's snapshot state, so <c>eventuali snapshot take</c> can snapshot account-* streams.</summary>
internal sealed record BankAccountState(string Owner, decimal Balance);

internal sealed partial class BankAccount : ISnapshottable<BankAccountState>
{
    public BankAccountState CaptureSnapshot() => new(Owner, Balance);

    public void RestoreSnapshot(BankAccountState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        (Owner, Balance) = (state.Owner, state.Balance);
    }
}
