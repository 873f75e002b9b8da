using eNMS.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace eNMS.Core.Data.Configurations;

internal sealed class StoredSettingConfiguration : IEntityTypeConfiguration<StoredSetting>
{
    public void Configure(EntityTypeBuilder<StoredSetting> setting)
    {
        setting.HasKey(s => s.Key);
        setting.Property(s => s.Key).HasMaxLength(200);
        setting.Property(s => s.ChangedBy).HasMaxLength(256);
    }
}
