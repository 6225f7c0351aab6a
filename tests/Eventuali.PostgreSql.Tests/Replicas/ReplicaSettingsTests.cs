namespace Eventuali.PostgreSql.Tests;

/// <summary>Parsing <c>replica=</c>: host lists, the default port, keyword strings, and refusals naming the setting.</summary>
public sealed class ReplicaSettingsTests
{
    [Fact]
    public void Replica_hosts_take_the_url_port_when_left_out_and_drop_the_target()
    {
        var s = PgSettings.Parse("postgresql://u:secret@p1:6000/db?target=primary&replica=r1,r2:7000", EventStoreOptions.Default);
        Assert.Equal(["r1:6000", "r2:7000"], s.Replicas.Select(b => $"{b.Host}:{b.Port}"));
        Assert.All(s.Replicas, b =>
        {
            Assert.Null(b.TargetSessionAttributes);
            Assert.Equal("db", b.Database);
            Assert.Equal("u", b.Username);
            Assert.True(b.Timeout <= 3);
        });

        var k = PgSettings.Parse("Host=localhost;Port=5433;Username=u;Password=p;Database=d;Replica=standby:5434", EventStoreOptions.Default);
        Assert.Equal("standby:5434", $"{k.Replicas.Single().Host}:{k.Replicas.Single().Port}");
        Assert.Empty(PgSettings.Parse("postgresql://u@h/db", EventStoreOptions.Default).Replicas);
    }

    [Theory]
    [InlineData("replica=")]
    [InlineData("replica=h:notaport")]
    [InlineData("replica=h:0")]
    [InlineData("replica=u:pw@h:5432")]
    [InlineData("replica=h:5432,")]
    public void A_bad_replica_list_is_refused_naming_the_setting(string query)
    {
        var ex = Assert.Throws<EventStoreConfigurationException>(() => PgSettings.Parse("postgresql://u:secret@h/db?" + query, EventStoreOptions.Default));
        Assert.Contains("'replica'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }
}
