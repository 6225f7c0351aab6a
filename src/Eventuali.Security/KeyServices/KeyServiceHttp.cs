using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eventuali.Security.Keys;

namespace Eventuali.Security.KeyServices;

/// <summary>
/// Sends one request to a key service and turns every failure into a <see cref="KeyProviderException"/>: an
/// unreachable service, a timeout, 429 and 5xx are transient; other 4xx are not. Messages carry the provider, the
/// key id, the HTTP status and the service's error code, never a header, a token or a body (a decrypt answer
/// holds a data key).
/// </summary>
internal sealed class KeyServiceHttp
{
    // One pooled client for every provider that was given none: connections are reused and DNS changes picked up.
    private static readonly HttpClient SharedClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly HttpClient _client;
    private readonly string _provider;
    private readonly TimeSpan _timeout;
    private readonly Func<JsonNode?, string?> _errorCode;

    public KeyServiceHttp(HttpClient? client, string provider, TimeSpan timeout, Func<JsonNode?, string?> errorCode)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The request timeout must be positive.");
        }

        _client = client ?? SharedClient;
        _provider = provider;
        _timeout = timeout;
        _errorCode = errorCode;
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the JSON answer of a 2xx response. <paramref name="refusal"/> may
    /// turn a 4xx with a given error code into a more precise error (a ciphertext that does not decrypt).
    /// </summary>
    public async Task<JsonNode> SendAsync(
        HttpRequestMessage request, string keyId, string operation, Func<HttpStatusCode, string?, KeyProviderException?>? refusal, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(_timeout);
        }

        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // Refused, reset or dropped mid-answer: the service may well answer the next attempt.
            throw new KeyProviderException($"{_provider} is unreachable at {Endpoint(request)} ({(e as HttpRequestException)?.HttpRequestError.ToString() ?? "connection lost"}); could not {operation} with key '{keyId}'.", keyId, isTransient: true, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KeyProviderException($"{_provider} at {Endpoint(request)} did not answer within {_timeout.TotalSeconds:0.#} s; could not {operation} with key '{keyId}'.", keyId, isTransient: true, e);
        }

        using (response)
        {
            var json = Parse(body);
            var status = response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return json ?? throw new KeyProviderException($"{_provider} answered {operation} for key '{keyId}' with something that is not JSON.", keyId);
            }

            var code = json is null ? null : _errorCode(json);
            var suffix = code is null ? "" : " " + code;
            if (status == HttpStatusCode.TooManyRequests)
            {
                throw new KeyProviderException($"{_provider} is throttling requests (HTTP 429{suffix}); could not {operation} with key '{keyId}'.", keyId, isTransient: true);
            }

            if ((int)status >= 500)
            {
                throw new KeyProviderException($"{_provider} failed (HTTP {(int)status}{suffix}); could not {operation} with key '{keyId}'.", keyId, isTransient: true);
            }

            throw refusal?.Invoke(status, code)
                  ?? new KeyProviderException($"{_provider} refused to {operation} with key '{keyId}' (HTTP {(int)status}{suffix}).", keyId);
        }
    }

    // Scheme, host and port only: a path or query could carry something that is not ours to print.
    private static string Endpoint(HttpRequestMessage request)
        => request.RequestUri is { IsAbsoluteUri: true } uri ? uri.GetLeftPart(UriPartial.Authority) : "(no endpoint)";

    private static JsonNode? Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
