using Eventuali.Tenancy;

namespace Eventuali.Core.Tests.Tenancy;

public sealed class TenantIdTests
{
    [Theory]
    [InlineData("acme", "acme")]
    [InlineData("Acme", "acme")]
    [InlineData("  ACME-eu-1 ", "acme-eu-1")]
    [InlineData("7", "7")]
    public void Valid_ids_are_trimmed_and_lower_cased(string text, string expected)
    {
        Assert.Equal(expected, TenantId.Parse(text).Value);
        Assert.True(TenantId.TryParse(text, out var parsed));
        Assert.Equal(expected, parsed.ToString());
    }

    [Fact]
    public void Ids_differing_only_in_case_are_one_tenant()
        => Assert.Equal(TenantId.Parse("Globex"), TenantId.Parse("GLOBEX"));

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("   ", "empty")]
    [InlineData("-acme", "hyphen")]
    [InlineData("acme-", "hyphen")]
    [InlineData("ac me", "index 2")]
    [InlineData("../etc", "index 0")]
    [InlineData("acme.eu", "index 4")]
    [InlineData("café", "index 3")]
    public void Malformed_ids_are_refused_with_the_rule_they_broke(string? text, string reason)
    {
        var e = Assert.Throws<MalformedTenantIdException>(() => TenantId.Parse(text));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(TenantId.TryParse(text, out var tenant));
        Assert.True(tenant.IsEmpty);
    }

    [Fact]
    public void The_length_limit_holds_at_its_edge()
    {
        Assert.Equal(TenantId.MaxLength, TenantId.Parse(new string('a', TenantId.MaxLength)).Value.Length);
        var e = Assert.Throws<MalformedTenantIdException>(() => TenantId.Parse(new string('a', TenantId.MaxLength + 1)));
        Assert.Contains("at most 48", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_value_names_no_tenant_and_refuses_to_be_used()
    {
        TenantId none = default;
        Assert.True(none.IsEmpty);
        Assert.Equal(string.Empty, none.ToString());
        Assert.Throws<MissingTenantContextException>(() => none.Value);
    }
}
