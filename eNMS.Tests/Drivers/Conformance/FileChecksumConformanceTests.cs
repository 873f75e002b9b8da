using System.Security.Cryptography;
using eNMS.Drivers;
using eNMS.Drivers.Transfer;
using eNMS.Tests.TestSupport.Lab;

// MD5 is what IOS, NX-OS, EOS and Junos print: the tests compute it to compare, as an integrity check.
#pragma warning disable CA5351

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Each platform's own checksum command on the emulated devices (their replies as the vendors document them):
/// the digest of a file copied there by SCP, a missing file, a file system the platform does not have, and a platform
/// without a checksum command.</summary>
[Collection(LabGroup.Name)]
public sealed class FileChecksumConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Platform, and where its files go.</summary>
    public static TheoryData<string, string> Platforms => new()
    {
        { "cisco_ios", "flash:" },
        { "arista_eos", "flash:" },
        { "cisco_nxos", "bootflash:" },
        { "juniper_junos", "/var/tmp/" },
    };

    /// <summary>Platform, and a file system it does not have (Junos names files by path: it has none).</summary>
    public static TheoryData<string, string> ForeignFileSystems => new()
    {
        { "cisco_ios", "disk9:" },
        { "arista_eos", "disk9:" },
        { "cisco_nxos", "flash:" },
    };

    private async Task<byte[]> CopyAsync(DeviceTarget target, string path)
    {
        // Binary, not text: the digest must be of the bytes as sent.
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await using var transfer = await SshFileTransfer.ConnectAsync(target, FileTransferProtocol.Scp, lab.KnownHosts, None);
        await transfer.PutAsync(new MemoryStream(bytes), path, None);
        return bytes;
    }

    [LabTheory]
    [MemberData(nameof(Platforms))]
    public async Task A_missing_file_has_no_checksum(string platform, string directory)
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated(platform), None);

        Assert.Null(await driver.FileChecksumAsync(directory + "not-there.bin", None));
    }

    [LabTheory]
    [MemberData(nameof(ForeignFileSystems))]
    public async Task A_file_system_the_platform_lacks_is_refused_quoting_the_device(string platform, string otherFileSystem)
    {
        lab.RequireLab();
        var target = lab.Emulated(platform);
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.FileChecksumAsync(otherFileSystem + "image.bin", None));

        Assert.StartsWith($"{target.Name}: '", error.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid", error.Reply, StringComparison.Ordinal);
    }

    [LabTheory]
    [MemberData(nameof(Platforms))]
    public async Task The_checksum_of_a_copied_file_is_the_md5_of_its_bytes(string platform, string directory)
    {
        lab.RequireLab();
        var target = lab.Emulated(platform);
        var bytes = await CopyAsync(target, directory + "image.bin");
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var checksum = await driver.FileChecksumAsync(directory + "image.bin", None);

        Assert.Equal(new FileChecksum("md5", Convert.ToHexStringLower(MD5.HashData(bytes))), checksum);
    }

    [LabFact]
    public async Task A_file_damaged_on_the_way_has_another_checksum()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios");
        await lab.SetFaultAsync(target, "corrupt-scp");
        var bytes = await CopyAsync(target, "flash:image.bin");
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var checksum = await driver.FileChecksumAsync("flash:image.bin", None);

        Assert.NotNull(checksum);
        Assert.NotEqual(Convert.ToHexStringLower(MD5.HashData(bytes)), checksum.Hex);
    }

    [LabFact]
    public async Task A_platform_without_a_checksum_command_says_so()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.Router(1), None);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => driver.FileChecksumAsync("/etc/frr/frr.conf", None));

        Assert.Equal("checksum not supported on frr", error.Message);
    }

    [LabFact]
    public async Task A_file_name_with_a_space_is_refused_before_it_reaches_the_device()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("cisco_ios"), None);

        // IOS would take the second word for the expected digest.
        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.FileChecksumAsync("flash:a b.bin", None));

        Assert.Contains("spaces", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("verify /md5 flash:a b.bin", driver.Transcript, StringComparison.Ordinal);
    }
}
