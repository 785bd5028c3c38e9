package org.geoward.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the {@code admin} account from {@code GEOWARD_ADMIN_PASSWORD} at start, if no admin exists yet. */
@Singleton
final class AdminBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final String password;

    AdminBootstrap(
            UserRepository users,
            PasswordHasher hasher,
            @Nullable @Value("${geoward.admin-password:}") String password) {
        this.users = users;
        this.hasher = hasher;
        this.password = password;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (password == null || password.isBlank() || users.existsByUsername("admin")) {
            return;
        }
        users.save(new User(null, "admin", hasher.hash(password), Role.ADMIN, null));
        LOG.info("Created user 'admin' from GEOWARD_ADMIN_PASSWORD");
    }
}
