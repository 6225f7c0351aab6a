using System.CommandLine;
using System.Globalization;
using Eventuali.Server;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali apikeys create|list|revoke</c>: the keys <c>eventuali serve</c> accepts in X-Api-Key. They live in the
/// store's own database (the <c>$eventuali-apikeys</c> stream) as salted hashes; create prints a key once. For a tenant
/// directory (<c>sqlite://DIR/?tenancy=file</c>) that is the server's own store, <c>DIR/server.db</c>, where
/// <c>eventuali serve</c> over the directory looks for them.
/// </summary>
internal static class ApiKeysCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("apikeys", "Create, list and revoke the API keys 'eventuali serve' accepts (stored in the store's database as salted hashes).")
        {
            CreateKey(io), List(io), Revoke(io),
        };
        return command;
    }

    private static Command CreateKey(CliIo io)
    {
        var database = CommonOptions.Database();
        var role = new Option<string>("--role") { Description = "read, write or admin.", Required = true };
        var scope = new Option<string?>("--scope") { Description = "Only streams whose id starts with this prefix (default: every stream)." };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant the key belongs to: with a tenant directory (sqlite://DIR/?tenancy=file) the key works on that tenant's store only (the tenant must exist); elsewhere it is recorded." };
        var expires = new Option<string?>("--expires") { Description = "When the key stops working: a duration (90d, 12h, 30m) or a UTC date-time (2027-01-31T00:00:00Z). Default: never." };
        var command = new Command("create", "Create an API key and print it once on stdout; only its salted hash is stored.")
        {
            database, role, scope, tenant, expires,
        };
        Examples.Add(command, "eventuali apikeys create -d sqlite://events.db --role read --scope orders-", "eventuali apikeys create -d sqlite://events.db --role admin --expires 90d", "eventuali apikeys create -d sqlite://tenants/?tenancy=file --role write --tenant acme");
        command.SetAction(async (parse, ct) =>
        {
            if (!ApiRoles.TryParse(parse.GetValue(role), out var apiRole))
            {
                throw new UsageException($"--role must be read, write or admin; got '{parse.GetValue(role)}'.");
            }

            var expiresAt = ParseExpiry(parse.GetValue(expires), TimeProvider.System.GetUtcNow());
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var store = await TenantDirectory.OpenKeyStoreAsync(url, parse.GetValue(tenant), create: true, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                using var keys = new ApiKeyStore(store);
                var created = await keys.CreateAsync(apiRole, parse.GetValue(scope) ?? "", parse.GetValue(tenant), expiresAt, ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(created.Key).ConfigureAwait(false);
                await io.Error.WriteLineAsync($"Created API key {created.Info.Id} ({Describe(created.Info)}). This is the only time the key is shown: keep it secret.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliIo io)
    {
        var database = CommonOptions.Database();
        var command = new Command("list", "List API keys (id, role, scope, tenant, created, expiry, last use, state); never their secrets.") { database };
        Examples.Add(command, "eventuali apikeys list -d sqlite://events.db");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var store = await TenantDirectory.OpenKeyStoreAsync(url, null, create: false, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                using var keys = new ApiKeyStore(store);
                var now = TimeProvider.System.GetUtcNow();
                await io.Out.WriteLineAsync("id\trole\tscope\ttenant\tcreated\texpires\tlast_used\tstate").ConfigureAwait(false);
                foreach (var k in await keys.ListAsync(ct).ConfigureAwait(false))
                {
                    var state = k.RevokedAt is not null ? "revoked" : k.IsActiveAt(now) ? "active" : "expired";
                    await io.Out.WriteLineAsync(string.Join('\t', k.Id, ApiRoles.ToText(k.Role), k.Scope.Length == 0 ? "*" : k.Scope, k.Tenant ?? "-", Time(k.CreatedAt), Time(k.ExpiresAt), Time(k.LastUsedAt), state)).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke(CliIo io)
    {
        var database = CommonOptions.Database();
        var id = new Argument<string>("id") { Description = "The key's id (the 16 hex digits after evk_, as 'apikeys list' shows)." };
        var command = new Command("revoke", "Revoke an API key: a running server refuses it within a second.") { database, id };
        Examples.Add(command, "eventuali apikeys revoke -d sqlite://events.db 3f9c2a7d51e0b846");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var store = await TenantDirectory.OpenKeyStoreAsync(url, null, create: false, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                using var keys = new ApiKeyStore(store);
                var keyId = parse.GetValue(id)!;
                if (!await keys.RevokeAsync(keyId, ct).ConfigureAwait(false))
                {
                    throw new UsageException($"No active API key has id '{keyId}' (see 'eventuali apikeys list').");
                }

                await io.Out.WriteLineAsync($"Revoked API key {keyId}.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static DateTimeOffset? ParseExpiry(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        var unit = text[^1];
        if (text.Length > 1 && "dhm".Contains(unit, StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return now + unit switch { 'd' => TimeSpan.FromDays(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromMinutes(n) };
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at > now ? at : throw new UsageException($"--expires must be in the future; got {text}.");
        }

        throw new UsageException($"--expires must be a duration such as 90d, 12h or 30m, or a UTC date-time; got '{text}'.");
    }

    private static string Describe(ApiKeyInfo k)
        => $"role {ApiRoles.ToText(k.Role)}, scope {(k.Scope.Length == 0 ? "every stream" : "'" + k.Scope + "'")}{(k.Tenant is null ? "" : ", tenant " + k.Tenant)}, expires {Time(k.ExpiresAt)}";

    private static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "never";
}
