using System.Diagnostics;
using System.Net;
using System.Text;

namespace Eventuali.Cli.Tests;

/// <summary><c>eventuali serve</c> as a separate process, with keys made and revoked by <c>eventuali apikeys</c>.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_accepts_a_created_key_and_refuses_it_once_revoked()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("events.db");
        var created = await CliProcess.RunAsync(dir.Path, "apikeys", "create", "--database", db, "--role", "write", "--scope", "orders-", "--tenant", "t1", "--expires", "30d");
        Assert.True(created.ExitCode == 0, created.ToString());
        var key = Assert.Single(created.OutLines);
        Assert.StartsWith("evk_", key, StringComparison.Ordinal);
        Assert.Contains("only time the key is shown", created.Error, StringComparison.Ordinal);
        var id = key.Split('_')[1];

        using var server = StartServe(dir.Path, db);
        try
        {
            var address = await ReadAddressAsync(server);
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            var append = await http.PostAsync("/streams/orders-1", new StringContent("""[{"type":"placed","data":{"n":1}}]""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, append.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/streams/other-1", TestContext.Current.CancellationToken)).StatusCode);
            using var anonymous = new HttpClient { BaseAddress = new Uri(address) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/all", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode);

            var listed = await CliProcess.RunAsync(dir.Path, "apikeys", "list", "--database", db);
            Assert.True(listed.ExitCode == 0, listed.ToString());
            var row = Assert.Single(listed.OutLines, l => l.StartsWith(id, StringComparison.Ordinal));
            Assert.Contains("write\torders-\tt1", row, StringComparison.Ordinal);
            Assert.EndsWith("active", row, StringComparison.Ordinal);
            Assert.DoesNotContain(key, listed.Out, StringComparison.Ordinal);

            var revoked = await CliProcess.RunAsync(dir.Path, "apikeys", "revoke", "--database", db, id);
            Assert.True(revoked.ExitCode == 0, revoked.ToString());
            // The server re-reads the key stream at least once a second.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            HttpStatusCode status;
            do
            {
                status = (await http.GetAsync("/me", TestContext.Current.CancellationToken)).StatusCode;
                if (status != HttpStatusCode.Unauthorized)
                {
                    await Task.Delay(100, TestContext.Current.CancellationToken); // poll interval, not a wait for work
                }
            }
            while (status != HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline);
            Assert.Equal(HttpStatusCode.Unauthorized, status);

            var again = await CliProcess.RunAsync(dir.Path, "apikeys", "revoke", "--database", db, id);
            Assert.NotEqual(0, again.ExitCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Apikeys_create_refuses_a_bad_role_or_expiry()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("events.db");
        var role = await CliProcess.RunAsync(dir.Path, "apikeys", "create", "--database", db, "--role", "root");
        Assert.NotEqual(0, role.ExitCode);
        Assert.Contains("--role must be read, write or admin", role.Error, StringComparison.Ordinal);
        var expiry = await CliProcess.RunAsync(dir.Path, "apikeys", "create", "--database", db, "--role", "read", "--expires", "soon");
        Assert.NotEqual(0, expiry.ExitCode);
        Assert.Contains("--expires", expiry.Error, StringComparison.Ordinal);
    }

    internal static Process StartServe(string directory, string db, params string[] more)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = [Path.Combine(AppContext.BaseDirectory, "Eventuali.Cli.dll"), "serve", "--database", db, "--urls", "http://127.0.0.1:0", .. more];
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("EVENTUALI_DATABASE");
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    internal static async Task<string> ReadAddressAsync(Process server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var at = line.IndexOf(" on http://", StringComparison.Ordinal);
            if (at >= 0)
            {
                return line[(at + 4)..].Split(' ')[0];
            }
        }

        throw new InvalidOperationException("serve ended without saying where it listens: " + await server.StandardError.ReadToEndAsync(timeout.Token));
    }
}
