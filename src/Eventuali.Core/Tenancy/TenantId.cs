namespace Eventuali.Tenancy;

/// <summary>
/// A tenant's id, validated and normalised once at the boundary. Rules: 1 to <see cref="MaxLength"/> characters
/// of ASCII letters, digits and hyphens, starting with a letter or digit and not ending with a hyphen.
/// Ids are case-insensitive: they are stored lower-case, so "Acme" and "acme" are one tenant. Surrounding
/// whitespace is trimmed. The character set keeps an id safe as a file name, a PostgreSQL schema suffix and a
/// setting value without any quoting.
/// </summary>
public readonly record struct TenantId
{
    /// <summary>The longest id accepted (leaves room for a prefix within PostgreSQL's 63-byte identifiers).</summary>
    public const int MaxLength = 48;

    private readonly string? _value;

    private TenantId(string value) => _value = value;

    /// <summary>The normalised (lower-case) id. Throws <see cref="MissingTenantContextException"/> on the default value.</summary>
    public string Value => _value ?? throw new MissingTenantContextException();

    /// <summary>Whether this is the default value, which names no tenant.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Parses and normalises <paramref name="text"/>; throws <see cref="MalformedTenantIdException"/> saying what was wrong.</summary>
    public static TenantId Parse(string? text)
    {
        var error = Validate(text, out var normalised);
        return error is null ? new TenantId(normalised!) : throw new MalformedTenantIdException(error);
    }

    /// <summary>Parses and normalises <paramref name="text"/>; false when it breaks a rule.</summary>
    public static bool TryParse(string? text, out TenantId tenant)
    {
        var error = Validate(text, out var normalised);
        tenant = error is null ? new TenantId(normalised!) : default;
        return error is null;
    }

    /// <inheritdoc />
    public override string ToString() => _value ?? string.Empty;

    // The reason never echoes the input: an id typed by mistake may be something the user would rather not log.
    private static string? Validate(string? text, out string? normalised)
    {
        normalised = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return "The tenant id is empty.";
        }

        if (trimmed.Length > MaxLength)
        {
            return $"The tenant id is {trimmed.Length} characters long; at most {MaxLength} are allowed.";
        }

        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return $"The tenant id holds a character at index {i} that is not an ASCII letter, digit or hyphen.";
            }
        }

        if (trimmed[0] == '-' || trimmed[^1] == '-')
        {
            return "The tenant id starts or ends with a hyphen.";
        }

        normalised = trimmed.ToLowerInvariant();
        return null;
    }
}
