using System.Text.Json;
using System.Text.Json.Nodes;
using Eventuali;
using Eventuali.Projections;
using Eventuali.Security.Encryption;

namespace EnterpriseFeatures;

/// <summary>
/// The staff directory read model, one document per employee id: department, title, start date, salary reviews.
/// A read model is not encrypted, so it copies no personal field; names and salaries are read from the store,
/// decrypted, when needed. On an erasure it deletes what it holds about the subject, as every projection must.
/// </summary>
internal sealed class EmployeeDirectory : Projection
{
    public const string ProjectionName = "employee-directory";

    public EmployeeDirectory()
        : base(ProjectionName)
    {
        On("employee-hired", async (e, ctx, ct) =>
        {
            var hired = JsonNode.Parse(e.Data.Span)!;
            var doc = new JsonObject
            {
                ["department"] = hired["department"]!.GetValue<string>(),
                ["title"] = hired["title"]!.GetValue<string>(),
                ["startDate"] = hired["startDate"]!.GetValue<string>(),
                ["salaryReviews"] = 0,
            };
            await ctx.Documents.PutAsync(hired["employeeId"]!.GetValue<string>(), doc.ToJsonString(), ct);
        });
        On("salary-changed", async (e, ctx, ct) =>
        {
            var id = JsonNode.Parse(e.Data.Span)!["employeeId"]!.GetValue<string>();
            if (await ctx.Documents.GetAsync(id, ct) is { } json)
            {
                var doc = JsonNode.Parse(json)!;
                doc["salaryReviews"] = doc["salaryReviews"]!.GetValue<int>() + 1;
                await ctx.Documents.PutAsync(id, doc.ToJsonString(), ct);
            }
        });
        On(DataSubjectErasedFact.EventType, async (e, ctx, ct) =>
        {
            var erased = JsonNode.Parse(e.Data.Span)!["subjectId"]!.GetValue<string>();
            await ctx.Documents.DeleteAsync(erased, ct);
        });
    }

    /// <summary>The directory as stored: employee id to (department, title, salary reviews).</summary>
    public static async Task<SortedDictionary<string, (string Department, string Title, int SalaryReviews)>> ReadAsync(IEventStore store)
    {
        var model = new SortedDictionary<string, (string, string, int)>(StringComparer.Ordinal);
        await foreach (var d in store.GetProjectionStore().ReadProjectionDocumentsAsync(ProjectionName))
        {
            using var doc = JsonDocument.Parse(d.Json);
            var root = doc.RootElement;
            model[d.Key] = (root.GetProperty("department").GetString()!, root.GetProperty("title").GetString()!, root.GetProperty("salaryReviews").GetInt32());
        }

        return model;
    }
}
