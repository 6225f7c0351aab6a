using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Eventuali.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Eventuali.Server.Tests;

/// <summary>
/// A real Kestrel server on a loopback port over a fresh SQLite store, with MapEventuali and one API key per role
/// (plus scoped ones). Each test class makes its own; clients are real HTTP clients.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly WebApplication _app;

    private ServerHost(DirectoryInfo directory, WebApplication app, Uri address)
    {
        _directory = directory;
        _app = app;
        Address = address;
    }

    public Uri Address { get; }
    public IEventStore Store => _app.Services.GetRequiredService<IEventStore>();
    public ApiKeyStore Keys => _app.Services.GetRequiredService<ApiKeyStore>();
    public IServiceProvider Services => _app.Services;

    public static async Task<ServerHost> StartAsync(Action<EventualiServerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var directory = Directory.CreateTempSubdirectory("eventuali-server-");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddEventuali("sqlite://" + Path.Combine(directory.FullName, "events.db"));
        builder.Services.AddEventualiServer(configure);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapEventuali();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServerHost(directory, app, new Uri(address));
    }

    public async Task<HttpClient> ClientAsync(ApiRole role, string scope = "")
    {
        var key = await Keys.CreateAsync(role, scope);
        return Client(key.Key);
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string Events(params string[] types)
        => "[" + string.Join(",", types.Select(t => $$$"""{"type":"{{{t}}}","data":{"n":1}}""")) + "]";

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a Problem Details answer with the given status and type slug, and no stack trace in it.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status, string slug)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        var root = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(Problems.TypeBase + slug, root.GetProperty("type").GetString());
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("detail").GetString()));
        return root;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? json = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = Json(json);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    public static string[] Types(JsonElement page)
        => [.. page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];

    public static string[] Streams(JsonElement page)
        => [.. page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("streamId").GetString()!)];

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
