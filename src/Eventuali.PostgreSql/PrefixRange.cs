namespace Eventuali.PostgreSql;

/// <summary>Upper bound of a stream-id prefix in ordinal (COLLATE "C") order, so a category read is an index range.</summary>
internal static class PrefixRange
{
    /// <summary>
    /// The smallest string greater than every string starting with <paramref name="prefix"/>: the prefix with
    /// its last incrementable character raised by one. Beyond U+FFFF (or surrogates) it falls back to a shorter
    /// prefix, still a correct (wider) bound; the exact prefix test in SQL keeps results right.
    /// </summary>
    public static string UpperBound(string prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            var c = prefix[i];
            if (c < '\uD7FF')
            {
                return string.Concat(prefix.AsSpan(0, i), ((char)(c + 1)).ToString());
            }
        }

        return "\U0010FFFF\U0010FFFF";
    }
}
