using eNMS.Core.Ansible;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace eNMS.Core.Data.Configurations;

internal sealed class PlaybookConfiguration : IEntityTypeConfiguration<Playbook>
{
    public void Configure(EntityTypeBuilder<Playbook> playbook)
    {
        playbook.HasIndex(p => p.Name).IsUnique();
        playbook.Property(p => p.Name).HasMaxLength(255);
        playbook.HasMany(p => p.Versions).WithOne().HasForeignKey(v => v.PlaybookId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlaybookVersionConfiguration : IEntityTypeConfiguration<PlaybookVersion>
{
    public void Configure(EntityTypeBuilder<PlaybookVersion> version) => version.HasIndex(v => new { v.PlaybookId, v.Number }).IsUnique();
}

internal sealed class ComplianceRuleConfiguration : IEntityTypeConfiguration<eNMS.Core.Configurations.ComplianceRule>
{
    public void Configure(EntityTypeBuilder<eNMS.Core.Configurations.ComplianceRule> rule)
    {
        rule.HasIndex(r => r.Name).IsUnique();
        rule.Property(r => r.Name).HasMaxLength(255);
        rule.Property(r => r.Platform).HasMaxLength(64);
        rule.HasOne<Inventory.Pool>().WithMany().HasForeignKey(r => r.PoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TerminalSessionConfiguration : IEntityTypeConfiguration<Security.TerminalSession>
{
    public void Configure(EntityTypeBuilder<Security.TerminalSession> session) => session.HasIndex(s => s.StartedAt);
}

internal sealed class ParsingTemplateConfiguration : IEntityTypeConfiguration<Parsing.ParsingTemplate>
{
    public void Configure(EntityTypeBuilder<Parsing.ParsingTemplate> template)
    {
        template.HasIndex(t => t.Name).IsUnique();
        template.Property(t => t.Name).HasMaxLength(255);
        template.Property(t => t.Platform).HasMaxLength(64);
        template.Property(t => t.Command).HasMaxLength(255);
        template.Property(t => t.Description).HasMaxLength(1000);
    }
}
