namespace eNMS.Drivers.Config;

/// <summary>The indented <c>no</c>-style inverse as the revert's seam: <see cref="ConfigInverse"/> over both
/// configurations parsed as trees.</summary>
public sealed partial record CliNegation : IConfigInversion
{
    public bool CommitsOnce => false;

    public IReadOnlyList<string> Commands(string running, string target) =>
        ConfigInverse.Commands(ConfigInverse.Parse(running, this), ConfigInverse.Parse(target, this), this);

    public string Diff(string running, string target) =>
        ConfigTree.Diff(ConfigInverse.Parse(running, this), ConfigInverse.Parse(target, this));

    public string Residual(string running, string target) =>
        ConfigInverse.Residual(ConfigInverse.Parse(running, this), ConfigInverse.Parse(target, this));
}
