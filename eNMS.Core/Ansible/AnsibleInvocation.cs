using eNMS.Drivers;

namespace eNMS.Core.Ansible;

/// <summary>One ansible-playbook invocation: the playbook, inventory and variables it gets, and the secrets that
/// must never leave the temporary vars file.</summary>
public sealed record AnsibleInvocation(string Playbook, string Inventory)
{
    /// <summary>Host variables that carry secrets (ansible_password, …), per host; written to a 0600 file only.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> SecretHostVars { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
    /// <summary>SSH private keys per host, written to 0600 files that the host's ansible_ssh_private_key_file names.</summary>
    public IReadOnlyDictionary<string, string> PrivateKeys { get; init; } = new Dictionary<string, string>();
    /// <summary>Passphrases of encrypted private keys, per host: the key is decrypted into its 0600 file (Ansible
    /// cannot ask for a passphrase), the passphrase itself only goes through a 0600 file to ssh-keygen.</summary>
    public IReadOnlyDictionary<string, string> KeyPassphrases { get; init; } = new Dictionary<string, string>();
    /// <summary>Extra variables as YAML or JSON (already rendered).</summary>
    public string ExtraVars { get; init; } = "";
    public string Tags { get; init; } = "";
    public string SkipTags { get; init; } = "";
    public string Limit { get; init; } = "";
    /// <summary>--check --diff: Ansible reports what it would change and changes nothing.</summary>
    public bool CheckMode { get; init; }
    /// <summary>known_hosts lines of the targets (checked against eNMS's host keys before the run).</summary>
    public IReadOnlyList<string> KnownHosts { get; init; } = [];
    /// <summary>What is masked in everything streamed or returned.</summary>
    public SecretRedactor Secrets { get; init; } = SecretRedactor.None;
}

/// <summary>One task's outcome on one host.</summary>
public sealed record AnsibleTaskResult(string Play, string Task, string Action, string Status, bool Changed, string Message, string Diff);

/// <summary>What Ansible did on one host: the recap counters and each task.</summary>
public sealed class AnsibleHostResult
{
    public int Ok { get; set; }
    public int Changed { get; set; }
    public int Failed { get; set; }
    public int Unreachable { get; set; }
    public int Skipped { get; set; }
    public int Rescued { get; set; }
    public int Ignored { get; set; }
    public List<AnsibleTaskResult> Tasks { get; } = [];
    public bool Success => Failed == 0 && Unreachable == 0;
}

public sealed record AnsibleOutcome(int ExitCode, IReadOnlyDictionary<string, AnsibleHostResult> Hosts, string Errors);
