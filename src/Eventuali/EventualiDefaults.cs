using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali;

/// <summary>
/// What the batteries-included package adds to Core: Protocol Buffers as a default event serializer and the LZ4 and
/// Zstandard snapshot codecs. Registered automatically the first time anything of this package is used.
/// </summary>
public static class EventualiDefaults
{
    /// <summary>Registers the defaults (idempotent); call it only when using Core before anything of this package.</summary>
    public static void Register()
    {
        EventTypeRegistry.AddDefaultSerializer(new ProtobufEventSerializer());
        SnapshotCompressors.Register();
    }

    // The package promises that URLs, the CLI and stored snapshots behave as they did when Core held these.
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "Registers the codecs this package exists to bring, before any store it opens runs.")]
    internal static void OnLoad() => Register();
}
