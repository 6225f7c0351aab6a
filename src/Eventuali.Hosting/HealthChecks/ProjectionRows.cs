using Eventuali.Projections;

namespace Eventuali.Hosting.HealthChecks;

internal static class ProjectionRows
{
    /// <summary>Every stored projection row, or null when this store cannot keep projections (SQLite <c>:memory:</c>).</summary>
    public static async ValueTask<IReadOnlyList<ProjectionRow>?> ListAsync(IProjectionStore projections, CancellationToken cancellationToken)
    {
        try
        {
            return await projections.ListProjectionsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
