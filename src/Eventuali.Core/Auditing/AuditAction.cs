namespace Eventuali.Auditing;

/// <summary>What kind of operation an audit entry records.</summary>
public enum AuditAction
{
    /// <summary>Events written: an append or an import.</summary>
    Append = 1,

    /// <summary>Events read: a stream, the global log, archived events or a data subject's export.</summary>
    Read = 2,

    /// <summary>Data removed: a stream deleted or truncated, a data subject crypto-shredded.</summary>
    Erase = 3,

    /// <summary>An administrative change: archive, restore, key rotation, key rewrap.</summary>
    Admin = 4,
}

/// <summary>How an audited operation ended.</summary>
public enum AuditOutcome
{
    /// <summary>The operation completed (a read stopped early by its reader still succeeded).</summary>
    Succeeded = 1,

    /// <summary>The operation threw; the entry names the exception type only, never its message.</summary>
    Failed = 2,
}
