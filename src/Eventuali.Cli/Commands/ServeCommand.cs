using System.CommandLine;
using System.Globalization;
using Eventuali.Hosting;
using Eventuali.Server;
using Eventuali.Sqlite;
using Eventuali.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali serve</c>: the HTTP API, SSE subscriptions, health, metrics, OpenAPI and the web UI over one store,
/// until Ctrl+C or SIGTERM. Callers need an API key (<c>eventuali apikeys create</c>) or an OIDC bearer token.
/// </summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    // Disposed in place of the tenants when serving a single store.
    private static readonly IAsyncDisposable NoTenants = new NothingToDispose();

    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var urls = new Option<string?>("--urls") { Description = $"Where to listen, ';'-separated (default {DefaultUrls}). Use https:// with a certificate configured through ASP.NET Core (Kestrel) settings, or a TLS proxy in front." };
        var anonymousRole = new Option<string?>("--anonymous-role") { Description = "Let requests without credentials in with this role (read, write or admin). Default: refused (401)." };
        var anonymousScope = new Option<string?>("--anonymous-scope") { Description = "With --anonymous-role: the stream-id prefix anonymous callers may reach (default: every stream)." };
        var maxBody = new Option<long?>("--max-body-bytes") { Description = "The largest request body accepted (default 4194304)." };
        var rate = new Option<int?>("--requests-per-second") { Description = "Average requests per second each caller may make (default 200; bursts of twice that)." };
        var authority = new Option<string?>("--oidc-authority") { Description = "Accept OIDC bearer tokens from this issuer (its discovery document and signing keys are fetched from it)." };
        var audience = new Option<string?>("--oidc-audience") { Description = "With --oidc-authority: the audience tokens must be issued for." };
        var uiClient = new Option<string?>("--oidc-client-id") { Description = "With --oidc-authority: a public client (no secret) registered at the issuer for the web UI, whose redirect URI is this server's /ui/. The UI then offers \"Sign in with OIDC\" (authorization code with PKCE)." };
        var uiScope = new Option<string?>("--oidc-scope") { Description = "With --oidc-client-id: the scopes the UI's sign-in asks for (default openid)." };
        var command = new Command("serve", "Serve the store over HTTP: the JSON API, server-sent event subscriptions, /health/live, /health/ready, /metrics, /openapi/v1.json and the web UI at /ui/.")
        {
            database, urls, anonymousRole, anonymousScope, maxBody, rate, authority, audience, uiClient, uiScope,
        };
        Examples.Add(command, "eventuali serve -d sqlite://events.db", "eventuali serve -d postgresql://app@db/events --urls http://0.0.0.0:5080");
        command.SetAction(async (parse, ct) =>
        {
            ApiRole? anonymous = null;
            if (parse.GetValue(anonymousRole) is { } roleText)
            {
                anonymous = ApiRoles.TryParse(roleText, out var r) ? r : throw new UsageException($"--anonymous-role must be read, write or admin; got '{roleText}'.");
            }

            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var (store, tenants) = await OpenServedAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            await using ((tenants ?? NoTenants).ConfigureAwait(false))
            {
                var builder = WebApplication.CreateSlimBuilder();
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.WebHost.UseUrls(parse.GetValue(urls) ?? DefaultUrls);
                // The store opened above (with the key file and audit options) is the one served.
                builder.Services.AddSingleton(store);
                builder.Services.AddEventuali(tenants is null ? url : TenantDirectory.ServerStoreUrl(tenants.Directory));
                if (tenants is not null)
                {
                    builder.Services.AddSingleton<ITenantStoreFactory>(new AuditedTenantStores(tenants, tenants));
                }

                try
                {
                    builder.Services.AddEventualiServer(o =>
                    {
                        o.AnonymousRole = anonymous;
                        o.AnonymousScope = parse.GetValue(anonymousScope) ?? "";
                        o.MaxRequestBodyBytes = parse.GetValue(maxBody) ?? o.MaxRequestBodyBytes;
                        if (parse.GetValue(rate) is { } perSecond)
                        {
                            o.RequestsPerSecond = perSecond;
                            o.RequestBurst = perSecond * 2;
                        }

                        // Over a tenant directory the server's own store holds only keys and the audit: no data to serve.
                        o.RequireTenant = tenants is not null;
                        o.Oidc.Authority = parse.GetValue(authority);
                        o.Oidc.Audience = parse.GetValue(audience);
                        o.Oidc.UiClientId = parse.GetValue(uiClient);
                        o.Oidc.UiScope = parse.GetValue(uiScope) ?? o.Oidc.UiScope;
                    });
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException(ex.Message);
                }

                var app = builder.Build();
                await using (app.ConfigureAwait(false))
                {
                    app.MapEventuali();
                    await app.StartAsync(ct).ConfigureAwait(false);
                    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                    foreach (var address in addresses)
                    {
                        await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Serving {StoreLocation.Display(url)} on {address} (UI: {address}/ui/). Ctrl+C stops.")).ConfigureAwait(false);
                    }

                    await io.Out.FlushAsync(ct).ConfigureAwait(false);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl+C or SIGTERM: stop taking requests and let running ones finish.
                    }

                    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The store to serve, and for a tenant directory URL (<c>sqlite://DIR/?tenancy=file</c> without a tenant) its
    /// tenants: then the store is the server's own (<c>DIR/server.db</c>: keys and the access audit).
    /// </summary>
    private static async ValueTask<(IEventStore Store, SqliteTenantStoreFactory? Tenants)> OpenServedAsync(string url, CancellationToken ct)
    {
        if (!EventStore.IsMultiTenantUrl(url))
        {
            return (await CommonOptions.OpenOrCreateAsync(url, ct).ConfigureAwait(false), null);
        }

        if (KeyFileOption.Path is not null)
        {
            throw new UsageException("--key-file does not apply to a served tenant directory yet; serve one tenant with --tenant ID, or serve without field encryption.");
        }

        var factory = await TenantDirectory.OpenTenantsAsync(url, create: true, ct).ConfigureAwait(false);
        try
        {
            return (await CommonOptions.OpenOrCreateAsync(TenantDirectory.ServerStoreUrl(factory.Directory), ct).ConfigureAwait(false), factory);
        }
        catch
        {
            await factory.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class NothingToDispose : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
