using Eventuali.Projections;

namespace Eventuali.InMemory;

/// <summary>Which documents were written for which data subject, and the erasure of what projections keep about one.</summary>
internal sealed partial class MemoryProjections
{
    private readonly HashSet<(string Projection, string Key, string Subject)> _documentSubjects = [];

    /// <summary>Under the gate, on commit: a cleared read model or a deleted document loses its subject records; new ones are added.</summary>
    private void CommitSubjects(string projection, bool cleared, Dictionary<string, string?> changes, HashSet<(string Key, string Subject)> recorded)
    {
        if (cleared)
        {
            _documentSubjects.RemoveWhere(r => r.Projection == projection);
        }

        foreach (var (key, json) in changes)
        {
            if (json is null)
            {
                _documentSubjects.RemoveWhere(r => r.Projection == projection && r.Key == key);
            }
        }

        foreach (var (key, subject) in recorded)
        {
            _documentSubjects.Add((projection, key, subject));
        }
    }

    public IReadOnlyList<SubjectDocument> SubjectDocuments(string subjectId)
    {
        lock (_gate)
        {
            return [.. _documentSubjects
                .Where(r => r.Subject == subjectId)
                .Select(r => _documents.TryGetValue(r.Projection, out var docs) && docs.TryGetValue(r.Key, out var json) ? new SubjectDocument(r.Projection, r.Key, json) : null)
                .OfType<SubjectDocument>()
                .OrderBy(d => d.Projection, StringComparer.Ordinal)
                .ThenBy(d => d.Key, StringComparer.Ordinal)];
        }
    }

    public ProjectionErasureResult EraseSubject(string subjectId, IReadOnlyCollection<string> streamIds)
    {
        lock (_gate)
        {
            var documents = _documentSubjects.Where(r => r.Subject == subjectId).Select(r => (r.Projection, r.Key)).ToHashSet();
            var deleted = 0;
            foreach (var (projection, key) in documents)
            {
                if (_documents.TryGetValue(projection, out var docs) && docs.Remove(key))
                {
                    deleted++;
                }
            }

            _documentSubjects.RemoveWhere(r => documents.Contains((r.Projection, r.Key)));
            var streams = streamIds.ToHashSet(StringComparer.Ordinal);
            var letters = 0;
            for (var i = 0; i < _deadLetters.Count; i++)
            {
                if (streams.Contains(_deadLetters[i].StreamId) && _deadLetters[i].Error != ProjectionErasureResult.RedactionMarker)
                {
                    _deadLetters[i] = _deadLetters[i] with { Error = ProjectionErasureResult.RedactionMarker };
                    letters++;
                }
            }

            var errors = 0;
            foreach (var row in _rows.Values.ToList())
            {
                if (row.Error is { } error && streams.Any(s => error.Contains(ProjectionErasureResult.StreamMention(s), StringComparison.Ordinal)))
                {
                    _rows[row.Name] = row with { Error = ProjectionErasureResult.RedactionMarker };
                    errors++;
                }
            }

            return new ProjectionErasureResult(deleted, letters, errors);
        }
    }
}
