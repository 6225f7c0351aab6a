namespace Eventuali.Migrations;

/// <summary>Opens the schema migrator of any built-in backend from a store URL, for tools such as <c>eventuali migrate</c>.</summary>
public static class SchemaMigrator
{
    /// <summary>
    /// The migrator for <paramref name="url"/> (the URLs <see cref="EventStore.CreateAsync"/> takes). Opening it
    /// connects to nothing yet and creates nothing; memory:// has no schema, so it reports nothing to migrate.
    /// </summary>
    public static ValueTask<ISchemaMigrator> ForUrlAsync(string url, EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        options ??= EventStoreOptions.Default;
        var (scheme, rest) = StoreUrl.Split(url);
        ISchemaMigrator migrator = scheme switch
        {
            "memory" => new MemorySchemaMigrator(),
            "sqlite" => Sqlite.SqliteSchemaMigrator.Create(rest, options),
            _ => PostgreSql.PostgreSqlSchemaMigrator.Create(url, options),
        };
        return ValueTask.FromResult(migrator);
    }
}
