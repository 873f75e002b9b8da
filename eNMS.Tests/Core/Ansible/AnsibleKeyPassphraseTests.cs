using eNMS.Core.Ansible;
using eNMS.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace eNMS.Tests.Core.Ansible;

/// <summary>An encrypted key with the wrong passphrase stops the run before ansible-playbook starts, with an error
/// that says so and does not hold the passphrase.</summary>
// In the lab collection: the Ansible lab tests make enms-ansible-* directories too, and this test counts them.
[Collection(eNMS.Tests.TestSupport.Lab.LabGroup.Name)]
public sealed class AnsibleKeyPassphraseTests
{
    [Fact]
    public async Task A_wrong_passphrase_is_a_clear_error_that_does_not_show_it()
    {
        Prerequisites.Require("openssh-client", File.Exists("/usr/bin/ssh-keygen"), "Debian package openssh-client");
        var directory = Directory.CreateTempSubdirectory("gitmirror-keytest-");
        try
        {
            var keyFile = Path.Combine(directory.FullName, "key");
            using (var keygen = System.Diagnostics.Process.Start("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "the-right-one", "-f", keyFile])!)
            {
                await keygen.WaitForExitAsync();
                Assert.Equal(0, keygen.ExitCode);
            }
            var invocation = new AnsibleInvocation("- hosts: all\n  tasks: []\n", "{}")
            {
                SecretHostVars = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["h1"] = new Dictionary<string, string> { ["ansible_user"] = "u" } },
                PrivateKeys = new Dictionary<string, string> { ["h1"] = await File.ReadAllTextAsync(keyFile) },
                KeyPassphrases = new Dictionary<string, string> { ["h1"] = "a-wrong-passphrase" },
            };
            var before = Directory.GetDirectories(Path.GetTempPath(), "enms-ansible-*").Length;

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                new AnsibleRunner(NullLogger<AnsibleRunner>.Instance).RunAsync(invocation, (_, _) => { }, CancellationToken.None));

            Assert.Contains("could not be decrypted with its passphrase", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("a-wrong-passphrase", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "enms-ansible-*").Length);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
