using System.Text;

namespace Eventuali.Tools.Tests;

internal static class TestEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static EventData Json(string type, string json, EventMetadata? metadata = null, Guid? id = null)
        => new(id ?? Guid.NewGuid(), type, Encoding.UTF8.GetBytes(json), metadata ?? EventMetadata.Empty, ContentTypes.Json);

    public static RecordedEvent Recorded(string stream, long version, string type, string json, DateTimeOffset at, long position = 0)
        => new(stream, version, position == 0 ? version : position, Guid.NewGuid(), type, Encoding.UTF8.GetBytes(json), EventMetadata.Empty, at, ContentTypes.Json);
}
