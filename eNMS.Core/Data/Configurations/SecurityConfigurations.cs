using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace eNMS.Core.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> token)
    {
        token.HasIndex(t => t.Hash).IsUnique();
        token.HasIndex(t => t.UserId);
        token.Property(t => t.Hash).HasMaxLength(64);
        token.Property(t => t.Name).HasMaxLength(100);
        token.Property(t => t.Prefix).HasMaxLength(16);
        token.HasOne<EnmsUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => e.User);
        entry.Property(e => e.User).HasMaxLength(256);
        entry.Property(e => e.Action).HasMaxLength(64);
        entry.Property(e => e.TargetKind).HasMaxLength(64);
        entry.Property(e => e.TargetId).HasMaxLength(64);
        entry.Property(e => e.TargetName).HasMaxLength(256);
        entry.Property(e => e.Ip).HasMaxLength(64);
    }
}

internal sealed class RevokedSessionConfiguration : IEntityTypeConfiguration<RevokedSession>
{
    public void Configure(EntityTypeBuilder<RevokedSession> session)
    {
        session.Property(s => s.Id).HasMaxLength(64);
        session.HasIndex(s => s.ExpiresAt);
    }
}

internal sealed class UserGroupConfiguration : IEntityTypeConfiguration<UserGroup>
{
    public void Configure(EntityTypeBuilder<UserGroup> group)
    {
        group.HasIndex(g => g.Name).IsUnique();
        group.Property(g => g.Name).HasMaxLength(UserGroup.MaxNameLength);
        group.Property(g => g.Description).HasMaxLength(1000);
        group.Property(g => g.Role).HasMaxLength(32);
    }
}
