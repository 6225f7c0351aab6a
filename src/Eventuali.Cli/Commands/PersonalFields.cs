using Eventuali.Security.Encryption;

namespace Eventuali.Cli.Commands;

/// <summary><c>append --personal FIELD[,FIELD] --subject ID</c>: the headers that ask the encryption interceptor to encrypt those fields.</summary>
internal static class PersonalFields
{
    public static EventMetadata Apply(EventMetadata metadata, string? personal, string? subject)
    {
        if (personal is null && subject is null)
        {
            return metadata;
        }

        if (string.IsNullOrWhiteSpace(personal) || string.IsNullOrWhiteSpace(subject))
        {
            throw new UsageException("--personal and --subject go together: name the fields to encrypt and whose data they are.");
        }

        KeyFileOption.Required("append --personal");
        var fields = personal.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return EncryptionHeaders.For(subject, fields, metadata);
    }
}
