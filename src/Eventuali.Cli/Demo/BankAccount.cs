using Eventuali.Typed;

namespace Eventuali.Cli.Demo;

[EventType("account-opened")]
internal sealed record AccountOpened(string AccountId, string Owner, decimal InitialDeposit);

[EventType("money-deposited")]
internal sealed record MoneyDeposited(decimal Amount, string Note);

[EventType("money-withdrawn")]
internal sealed record MoneyWithdrawn(decimal Amount, string Note);

[EventType("transfer-sent")]
internal sealed record TransferSent(string TransferId, string ToAccount, decimal Amount);

[EventType("transfer-received")]
internal sealed record TransferReceived(string TransferId, string FromAccount, decimal Amount);

/// <summary>A business rule refused a command; nothing was raised or stored.</summary>
internal sealed class BusinessRuleException(string message) : InvalidOperationException(message);

/// <summary>The demo's aggregate: a bank account that never goes below zero.</summary>
[StreamCategory("account")]
internal sealed partial class BankAccount : Aggregate
{
    public string Owner { get; private set; } = string.Empty;

    public decimal Balance { get; private set; }

    public static BankAccount Open(string id, string owner, decimal initialDeposit)
    {
        if (initialDeposit < 0)
        {
            throw new BusinessRuleException($"An account cannot open with a negative deposit ({initialDeposit:N2}).");
        }

        var account = new BankAccount();
        account.Raise(new AccountOpened(id, owner, initialDeposit));
        return account;
    }

    public void Deposit(decimal amount, string note)
    {
        RequirePositive(amount);
        Raise(new MoneyDeposited(amount, note));
    }

    public void Withdraw(decimal amount, string note)
    {
        RequirePositive(amount);
        RequireFunds(amount);
        Raise(new MoneyWithdrawn(amount, note));
    }

    public void SendTransfer(string transferId, string toAccount, decimal amount)
    {
        RequirePositive(amount);
        if (toAccount == Id)
        {
            throw new BusinessRuleException($"Account {Id} cannot transfer to itself.");
        }

        RequireFunds(amount);
        Raise(new TransferSent(transferId, toAccount, amount));
    }

    public void ReceiveTransfer(string transferId, string fromAccount, decimal amount)
    {
        RequirePositive(amount);
        Raise(new TransferReceived(transferId, fromAccount, amount));
    }

    private static void RequirePositive(decimal amount)
    {
        if (amount <= 0)
        {
            throw new BusinessRuleException($"Amounts must be positive; got {amount:N2}.");
        }
    }

    private void RequireFunds(decimal amount)
    {
        if (amount > Balance)
        {
            throw new BusinessRuleException($"Refused: {amount:N2} exceeds the balance of {Balance:N2} on account {Id} (no overdraft).");
        }
    }

    private void Apply(AccountOpened e)
    {
        Id = e.AccountId;
        Owner = e.Owner;
        Balance = e.InitialDeposit;
    }

    private void Apply(MoneyDeposited e) => Balance += e.Amount;

    private void Apply(MoneyWithdrawn e) => Balance -= e.Amount;

    private void Apply(TransferSent e) => Balance -= e.Amount;

    private void Apply(TransferReceived e) => Balance += e.Amount;
}
