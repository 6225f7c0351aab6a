using System.Text.Json.Serialization;

namespace Eventuali.Server;

/// <summary>What the web UI needs to offer OIDC sign-in: nothing secret (a public client uses PKCE, no secret).</summary>
/// <param name="Oidc">The sign-in settings, or null when the server has no OIDC authority or UI client id.</param>
internal sealed record UiLoginDocument(UiOidcDocument? Oidc);

/// <summary>The authorization code flow the page runs.</summary>
/// <param name="Authority">The issuer; the page reads its discovery document.</param>
/// <param name="ClientId">The public client registered at the issuer for this UI.</param>
/// <param name="Scope">The scopes asked for.</param>
/// <param name="Resource">The resource indicator (RFC 8707) the access token is asked for: the server's audience.</param>
internal sealed record UiOidcDocument(string Authority, string ClientId, string Scope, string? Resource);

/// <summary>JSON source generation for the UI's login settings.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UiLoginDocument))]
internal sealed partial class UiJson : JsonSerializerContext;
