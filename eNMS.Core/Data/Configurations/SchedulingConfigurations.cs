using eNMS.Core.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace eNMS.Core.Data.Configurations;

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    public void Configure(EntityTypeBuilder<Schedule> schedule)
    {
        schedule.HasIndex(s => s.Name).IsUnique();
        schedule.HasIndex(s => s.ServiceId);
        schedule.Property(s => s.Name).HasMaxLength(255);
        schedule.Property(s => s.TimeZone).HasMaxLength(100);
        schedule.Property(s => s.Cron).HasMaxLength(200);
        schedule.Ignore(s => s.Active);
        schedule.Property(s => s.Rollout).AsJson();
    }
}

internal sealed class ChangeFreezeConfiguration : IEntityTypeConfiguration<ChangeFreeze>
{
    public void Configure(EntityTypeBuilder<ChangeFreeze> freeze)
    {
        freeze.HasIndex(f => f.Name).IsUnique();
        freeze.Property(f => f.Name).HasMaxLength(255);
        freeze.Property(f => f.Reason).HasMaxLength(ChangeFreezes.MaxReasonLength);
        freeze.Property(f => f.TimeZone).HasMaxLength(100);
        freeze.Property(f => f.Cron).HasMaxLength(200);
        freeze.Ignore(f => f.Recurring);
    }
}

internal sealed class RunScheduleIndexConfiguration : IEntityTypeConfiguration<Automation.Run>
{
    public void Configure(EntityTypeBuilder<Automation.Run> run) => run.HasIndex(r => r.ScheduleId);
}
