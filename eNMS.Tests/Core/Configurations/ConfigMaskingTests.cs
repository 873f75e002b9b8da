using eNMS.Core.Configurations;

namespace eNMS.Tests.Core.Configurations;

public sealed class ConfigMaskingTests
{
    [Theory]
    [InlineData("enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "enable secret 5 ******")]
    [InlineData("username admin privilege 15 password 0 cisco123", "username admin privilege 15 password 0 ******")]
    [InlineData("snmp-server community s3cret RO", "snmp-server community ******")]
    [InlineData(" ip ospf message-digest-key 1 md5 0 ospfkey", " ip ospf message-digest-key 1 ******")]
    [InlineData("set system root-authentication encrypted-password \"$6$abc\";", "set system root-authentication encrypted-password \"******;")]
    [InlineData("key 7 094F471A1A0A", "key 7 ******")]
    [InlineData("tacacs-server key mykey", "tacacs-server key ******")]
    public void Secret_values_are_replaced_and_the_keyword_stays(string line, string expected) =>
        Assert.Equal(expected, ConfigMasking.MaskSecrets(line));

    [Theory]
    [InlineData("hostname core-1")]
    [InlineData("interface GigabitEthernet0/1\n description uplink\n ip address 10.0.0.1 255.255.255.0")]
    [InlineData("")]
    public void Lines_without_secrets_are_unchanged(string text) => Assert.Equal(text, ConfigMasking.MaskSecrets(text));

    [Fact]
    public void Only_the_secret_lines_of_a_configuration_change()
    {
        var masked = ConfigMasking.MaskSecrets("hostname r1\nenable password plain\ninterface lo0\n");
        Assert.Equal("hostname r1\nenable password ******\ninterface lo0\n", masked);
    }

    [Fact]
    public void A_private_key_block_is_masked_whole()
    {
        var masked = ConfigMasking.MaskSecrets("a\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----\nz");
        Assert.DoesNotContain("b3BlbnNzaC1rZXktdjEA", masked, StringComparison.Ordinal);
        Assert.StartsWith("a\n", masked, StringComparison.Ordinal);
        Assert.EndsWith("\nz", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_becomes_empty() => Assert.Equal("", ConfigMasking.MaskSecrets(null));
}
