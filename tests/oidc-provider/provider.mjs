// A local OpenID Connect provider for the server's bearer-token tests: the npm oidc-provider package, serving
// discovery and JWKS on a loopback port and issuing RS256-signed JWT access tokens through the client-credentials
// grant for a resource indicator (the token's audience). Each test client stands for a caller with an Eventuali role,
// stream scope and tenant, carried as extra claims. The web UI's sign-in uses a public client (authorization code with
// PKCE, no secret) and the provider's built-in login and consent pages; the account signed in as carries the claims
// there. Started by scripts/oidc-provider.sh; for tests only.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.EVENTUALI_OIDC_PORT || 19390);
const issuer = `http://127.0.0.1:${port}`;
// A fixed secret is fine for a loopback-only test issuer whose keys are made anew at every start.
const secret = 'eventuali-local-test-secret';
const resources = new Set(['urn:eventuali:api', 'urn:eventuali:other']);

// client id -> the claims its tokens carry (no eventuali_role: a token the server must refuse).
const callers = {
  'eventuali-writer': { eventuali_role: 'write', eventuali_scope: 'orders-' },
  'eventuali-admin': { eventuali_role: 'admin' },
  'eventuali-reader-t1': { eventuali_role: 'read', eventuali_tenant: 't1' },
  'eventuali-writer-t2': { eventuali_role: 'write', eventuali_tenant: 't2' },
  'eventuali-norole': {},
  'eventuali-shortlived': { eventuali_role: 'read' },
};

// login name -> the claims of the tokens issued to the UI for that account (any password is accepted).
const accounts = {
  'ui-writer': { eventuali_role: 'write', eventuali_scope: 'orders-' },
  'ui-admin': { eventuali_role: 'admin' },
};

// The UI's public client: any loopback port (a native client's loopback redirect URIs ignore the port, RFC 8252), so
// a test server on a free port can use it.
const uiClient = {
  client_id: 'eventuali-ui',
  application_type: 'native',
  grant_types: ['authorization_code'],
  response_types: ['code'],
  redirect_uris: ['http://127.0.0.1/ui/'],
  token_endpoint_auth_method: 'none',
};
const loopbackOrigin = /^http:\/\/127\.0\.0\.1(:\d+)?$/;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'eventuali-test-rs256', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [...Object.keys(callers).map((client_id) => ({
    client_id,
    client_secret: secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_post',
  })), uiClient],
  findAccount: (ctx, sub) => (accounts[sub] ? { accountId: sub, claims: () => ({ sub }) } : undefined),
  // The page exchanges the code from its own origin, a loopback server on any port.
  clientBasedCORS: (ctx, origin, client) => client.clientId === uiClient.client_id && loopbackOrigin.test(origin),
  jwks: { keys: [jwk] },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:eventuali:api',
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource, client) => {
        if (!resources.has(resource)) {
          throw new Provider.errors.InvalidTarget();
        }
        return {
          scope: 'events',
          audience: resource,
          // One second for the client whose tokens the tests watch expire; ten minutes otherwise.
          accessTokenTTL: client.clientId === 'eventuali-shortlived' ? 1 : 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  extraTokenClaims: (ctx, token) => (token.accountId ? accounts[token.accountId] : callers[token.clientId]),
});

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
