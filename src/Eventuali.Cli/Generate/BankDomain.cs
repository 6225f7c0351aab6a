using Eventuali.Cli.Demo;
using Eventuali.Testing.Generation;
using Eventuali.Typed;

namespace Eventuali.Cli.Generate;

/// <summary>The built-in domain "bank": the demo's bank accounts, opened and then used through their own commands (never overdrawn).</summary>
internal sealed class BankDomain : IEventHistoryDomain
{
    public string Name => "bank";

    public Aggregate CreateStream(GenerationContext context)
    {
        var account = BankAccount.Open(context.Id("acct"), context.PersonName(), context.Amount(0m, 500m));
        while (account.UncommittedEvents.Count < context.Events)
        {
            var amount = context.Amount(1m, 300m);
            if (amount <= account.Balance && context.Chance(0.45))
            {
                account.Withdraw(amount, context.Note());
            }
            else
            {
                account.Deposit(amount, context.Note());
            }
        }

        return account;
    }
}
