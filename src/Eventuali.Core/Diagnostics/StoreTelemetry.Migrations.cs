using System.Diagnostics;
using Eventuali.Diagnostics;
using Eventuali.Migrations;

namespace Eventuali.Extensibility;

public sealed partial class StoreTelemetry
{
    /// <summary>
    /// Runs a backend's schema migration <paramref name="up"/> inside a <c>migrate</c> span of
    /// <paramref name="dbSystemName"/> in <paramref name="dbNamespace"/>, tagged with the versions it went between.
    /// </summary>
    public static async ValueTask<MigrationResult> TraceMigrationAsync(string dbSystemName, string? dbNamespace, Func<ValueTask<MigrationResult>> up)
    {
        ArgumentNullException.ThrowIfNull(up);
        using var activity = Telemetry.Source.HasListeners() ? Telemetry.Source.StartActivity(EventualiOperations.Migrate, ActivityKind.Client) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(EventualiAttributes.DbSystemName, dbSystemName);
            activity.SetTag(EventualiAttributes.DbOperationName, EventualiOperations.Migrate);
            if (dbNamespace is not null)
            {
                activity.SetTag(EventualiAttributes.DbNamespace, dbNamespace);
            }
        }

        try
        {
            var result = await up().ConfigureAwait(false);
            activity?.SetTag("eventuali.migration.from_version", result.FromVersion);
            activity?.SetTag("eventuali.migration.to_version", result.ToVersion);
            return result;
        }
        catch (Exception ex)
        {
            Telemetry.Fail(activity, Telemetry.ErrorType(ex));
            throw;
        }
    }
}
