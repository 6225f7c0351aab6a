namespace Eventuali.PostgreSql;

/// <summary>The statements of Sql/checkpoints.sql with the schema filled in.</summary>
internal sealed class CheckpointSql
{
    public CheckpointSql(PgSettings settings)
    {
        var sections = SqlFile.Load("checkpoints.sql", settings);
        Load = sections["checkpoint_load"];
        Save = sections["checkpoint_save"];
    }

    public string Load { get; }

    public string Save { get; }
}
