using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Eventuali.Security.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Eventuali.Security.Pkcs11;

/// <summary>
/// One logged-in token of one PKCS#11 module, shared by every provider in the process. A module is initialised
/// once per process (a second C_Initialize fails, and C_Finalize would pull the module from under other users), and
/// the login state is per application and token, so both live here for the life of the process. PKCS#11 sessions
/// are not safe for concurrent use: each operation rents one from a pool.
/// </summary>
internal sealed class TokenConnection
{
    private static readonly Pkcs11InteropFactories Factories = CreateFactories();
    private static readonly ConcurrentDictionary<string, IPkcs11Library> Libraries = new(StringComparer.Ordinal);
    private static readonly Dictionary<(string Library, string Token), TokenConnection> Connections = [];
    private static readonly Lock ConnectionsLock = new();

    private readonly ISlot _slot;
    private readonly byte[] _pinDigest;
    private readonly ConcurrentBag<ISession> _pool = [];
    private readonly ConcurrentDictionary<(CKO Class, string Label), IObjectHandle> _handles = new();

    // Kept open for the life of the process: closing a token's last session logs the application out.
    private readonly ISession _loginSession;

    private TokenConnection(ISlot slot, ISession loginSession, byte[] pinDigest, string tokenLabel)
    {
        _slot = slot;
        _loginSession = loginSession;
        _pinDigest = pinDigest;
        TokenLabel = tokenLabel;
    }

    public static Pkcs11InteropFactories Factory => Factories;

    public string TokenLabel { get; }

    public static TokenConnection Open(string libraryPath, string tokenLabel, string pin)
    {
        var library = LoadLibrary(libraryPath);
        var digest = PinDigest(libraryPath, tokenLabel, pin);
        lock (ConnectionsLock)
        {
            if (Connections.TryGetValue((libraryPath, tokenLabel), out var existing))
            {
                // The token is already logged in for this process, so it cannot check the PIN again; the digest of
                // the PIN that did log in can.
                if (!CryptographicOperations.FixedTimeEquals(existing._pinDigest, digest))
                {
                    throw new KeyProviderException($"PKCS#11 token '{tokenLabel}' refused the PIN.");
                }

                return existing;
            }

            var slot = FindSlot(library, libraryPath, tokenLabel);
            var session = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                session.Login(CKU.CKU_USER, pin);
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Logged in by other code in this process through the same module: the token holds the session.
            }
            catch (Pkcs11Exception e)
            {
                session.Dispose();
                throw e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LEN_RANGE or CKR.CKR_PIN_INVALID
                    ? new KeyProviderException($"PKCS#11 token '{tokenLabel}' refused the PIN.")
                    : e.RV is CKR.CKR_PIN_LOCKED
                        ? new KeyProviderException($"PKCS#11 token '{tokenLabel}' has locked its user PIN.")
                        : new KeyProviderException($"PKCS#11 token '{tokenLabel}' refused the login ({e.RV}).");
            }

            var connection = new TokenConnection(slot, session, digest, tokenLabel);
            Connections[(libraryPath, tokenLabel)] = connection;
            return connection;
        }
    }

    /// <summary>Runs <paramref name="action"/> on a pooled session; a session that failed is closed rather than reused.</summary>
    public T Use<T>(Func<ISession, T> action)
    {
        if (!_pool.TryTake(out var session))
        {
            session = _slot.OpenSession(SessionType.ReadWrite);
        }

        try
        {
            var result = action(session);
            _pool.Add(session);
            return result;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The token object of class <paramref name="objectClass"/> labelled <paramref name="label"/>, or null.</summary>
    public IObjectHandle? Find(CKO objectClass, string label)
    {
        if (_handles.TryGetValue((objectClass, label), out var cached))
        {
            return cached;
        }

        var found = Use(session => session.FindAllObjects(
        [
            Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, objectClass),
            Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label),
        ]));
        if (found.Count > 1)
        {
            throw new KeyProviderException($"PKCS#11 token '{TokenLabel}' holds {found.Count} {Describe(objectClass)} objects labelled '{label}'; labels must be unique.", label);
        }

        if (found.Count == 0)
        {
            return null;
        }

        _handles[(objectClass, label)] = found[0];
        return found[0];
    }

    /// <summary>Forgets a handle that the token no longer honours (the object was destroyed or the token re-initialised).</summary>
    public void Forget(CKO objectClass, string label) => _handles.TryRemove((objectClass, label), out _);

    public static string Describe(CKO objectClass) => objectClass switch
    {
        CKO.CKO_SECRET_KEY => "secret key",
        CKO.CKO_PRIVATE_KEY => "private key",
        CKO.CKO_PUBLIC_KEY => "public key",
        _ => objectClass.ToString(),
    };

    private static Pkcs11InteropFactories CreateFactories()
    {
        // Pkcs11Interop 5 loads modules through dlopen from "libdl", a name that glibc 2.34 and later no longer
        // ship as a development symlink; the runtime library is libdl.so.2 (a stub that forwards to libc).
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, static (name, assembly, searchPath) =>
                name == "libdl" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // The application registered its own resolver for Pkcs11Interop; it decides.
        }

        return new Pkcs11InteropFactories();
    }

    private static IPkcs11Library LoadLibrary(string libraryPath)
    {
        try
        {
            // Loaded under the lock, never by a racing GetOrAdd factory: a second library object would be dropped and
            // its finalizer's C_Finalize would log every session of this process out of the token.
            lock (ConnectionsLock)
            {
                if (!Libraries.TryGetValue(libraryPath, out var library))
                {
                    library = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, libraryPath, AppType.MultiThreaded);
                    Libraries[libraryPath] = library;
                }

                return library;
            }
        }
        catch (Exception e) when (e is UnmanagedException or Pkcs11Exception or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or LibraryArchitectureException)
        {
            throw new KeyProviderException($"PKCS#11 module '{libraryPath}' could not be loaded: {e.Message}", innerException: e);
        }
    }

    private static ISlot FindSlot(IPkcs11Library library, string libraryPath, string tokenLabel)
    {
        foreach (var slot in library.GetSlotList(SlotsType.WithTokenPresent))
        {
            var info = slot.GetTokenInfo();
            if (info.TokenFlags.TokenInitialized && info.Label.TrimEnd() == tokenLabel)
            {
                return slot;
            }
        }

        throw new KeyProviderException($"PKCS#11 module '{libraryPath}' has no initialised token labelled '{tokenLabel}'.");
    }

    // Salted with the module and token so that the digest is useless anywhere else; it only ever lives in memory.
    private static byte[] PinDigest(string libraryPath, string tokenLabel, string pin)
        => SHA256.HashData(Encoding.UTF8.GetBytes(libraryPath + "\0" + tokenLabel + "\0" + pin));
}
